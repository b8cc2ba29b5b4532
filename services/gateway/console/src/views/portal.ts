import { machines } from "../data";
import { h, replace, when } from "../dom";
import { t, term } from "../i18n";
import { claims } from "../session";
import { enterpriseView } from "./enterprise";

/** The enterprise's own page: its standing (the same file staff read), its machines. */
export function portalView(main: HTMLElement): () => void {
  const id = claims()?.enterprise_id ?? "";
  const file = h("div");
  const fleet = h("tbody");
  replace(main, h("h1", {}, t("portal")), file,
    h("section", { class: "card" }, h("table", {}, h("caption", {}, t("myMachines")),
      h("thead", {}, h("tr", {}, ...["kind", "brandModel", "serial", "terminal", "status"].map(
        (key) => h("th", { scope: "col" }, t(key as "kind"))))), fleet)),
    h("section", { class: "card" }, h("h2", {}, t("myApplications")), h("p", { class: "note" }, t("notPublished"))));
  machines(id).then((items) => replace(fleet, ...items.map((m) => h("tr", {},
    h("td", {}, term(m.kind)), h("td", {}, `${m.brand} ${m.model}`), h("td", {}, m.serial_number),
    h("td", {}, m.terminal_id ?? "—"), h("td", {}, m.next_review_due ? `${m.status} · ${when(m.next_review_due)}` : m.status)))),
    (error: Error) => replace(fleet, h("tr", {}, h("td", { colspan: 5, class: "error" }, `${t("failed")}: ${error.message}`))));
  return enterpriseView(file, id);
}
