import { h, replace } from "../dom";
import { t } from "../i18n";
import { claims } from "../session";
import { enterpriseView } from "./enterprise";

/** The enterprise's own page: the same file staff read (standing and why, ledger with credit
 * repair, machines, applications and their due dates). */
export function portalView(main: HTMLElement): () => void {
  const id = claims()?.enterprise_id ?? "";
  const file = h("div");
  replace(main, h("h1", {}, t("portal")), file,
    h("section", { class: "card" }, h("h2", {}, t("selfInspections")), h("p", { class: "note" }, t("notPublished"))));
  return enterpriseView(file, id);
}
