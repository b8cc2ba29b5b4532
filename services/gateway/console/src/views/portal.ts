import { h, replace } from "../dom";
import { t } from "../i18n";
import { inspections, inspectionTable } from "../inspections";
import { claims } from "../session";
import { enterpriseView } from "./enterprise";

/** The enterprise's own page: the same file staff read (standing and why, ledger with credit
 * repair, machines, applications and their due dates), and its self-inspections. */
export function portalView(main: HTMLElement): () => void {
  const id = claims()?.enterprise_id ?? "";
  const file = h("div");
  const own = h("section", { class: "card", "aria-label": t("selfInspections") }, h("p", {}, t("loading")));
  replace(main, h("h1", {}, t("portal")), file, own);
  inspections({ kind: "self" }).then(
    (items) => replace(own, inspectionTable("self-inspections", items)),
    (problem: Error) => replace(own, h("p", { class: "error" }, `${t("failed")}: ${problem.message}`)));
  return enterpriseView(file, id);
}
