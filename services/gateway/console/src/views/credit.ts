import { api, must } from "../api/client";
import { h, replace, when } from "../dom";
import { lang, t } from "../i18n";
import { claims } from "../session";

/** Every contribution to the grade, in the reader's language: why the score is what it is. */
export async function explanation(id: string): Promise<HTMLElement> {
  const standing = await must(api.GET("/api/v1/enterprises/{enterprise_id}/credit/standing", {
    params: { path: { enterprise_id: id } } }));
  return h("section", { class: "card", "aria-labelledby": "explain-h" },
    h("h2", { id: "explain-h" }, `${t("gradeExplained")} (${standing.model_version})`),
    h("p", {}, `${t("baseScore")} ${standing.base_score} → ${standing.score} · ${standing.grade}`),
    h("ul", { id: "contributions" }, ...standing.contributions.map((c) => h("li", { class: c.in_force ? "" : "note", "data-event-id": c.event_id },
      `${when(c.at)} ${c.effect > 0 ? "+" : ""}${c.effect} ${lang() === "en" ? c.en : c.zh}`,
      c.in_force ? "" : ` (${t("notInForce")})`, c.repaired_by ? ` (${t("repaired")})` : "",
      c.effect < 0 && c.in_force && !c.repaired_by ? repairForm(id, c.event_id) : null))));
}

/** An enterprise asks for credit repair of one deduction, with its evidence of rectification. */
export function repairForm(enterpriseId: string, deductionEventId: string): HTMLElement | null {
  if (claims()?.tianmen_role !== "enterprise") return null;
  const evidence = h("input", { id: `repair-${deductionEventId}`, required: true, maxlength: 200 });
  const status = h("span", { role: "status" });
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    try {
      const repair = await must(api.POST("/api/v1/enterprises/{enterprise_id}/credit/repairs", {
        params: { path: { enterprise_id: enterpriseId } },
        body: { target_event_id: deductionEventId, evidence: [evidence.value] } }));
      replace(status, `${t("repairApplied")}: `, h("span", { class: "repair-id" }, repair.repair_id), ` · ${repair.status}`);
    } catch (problem) {
      replace(status, h("span", { class: "error" }, (problem as Error).message));
    }
  };
  return h("form", { class: "inline", onsubmit: (e) => void submit(e) },
    h("label", { for: `repair-${deductionEventId}` }, t("repairEvidence")), evidence,
    h("button", { type: "submit" }, t("applyRepair")), status);
}
