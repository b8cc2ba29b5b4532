// Inspections of the three kinds (self-inspections, joint spot checks, third-party tests), as
// the gateway lists them for the caller's scope.
import { api, everyPage, must, type Schemas } from "./api/client";
import { h, instant, when } from "./dom";
import { t, term } from "./i18n";
import { enterpriseLink, machineLink, table } from "./table";

export type Inspection = Schemas["InspectionView"];
export type Kind = Inspection["kind"];
export const KINDS: Kind[] = ["self", "spot_check", "third_party"];

export async function inspections(query: { kind?: Kind; campaign_id?: string }): Promise<Inspection[]> {
  const items = await everyPage((cursor) =>
    must(api.GET("/api/v1/inspections", { params: { query: { ...query, cursor, limit: 500 } } })));
  return items.sort((a, b) => instant(b.inspected_at) - instant(a.inspected_at));
}

/** What the inspection found, machine by machine (a third-party test: its one machine). */
function findings(item: Inspection): HTMLElement {
  if (item.kind === "self") return h("p", {}, item.note || "—");
  if (item.kind === "third_party") {
    return h("dl", {}, h("dt", {}, t("machine")), h("dd", {}, machineLink(item.machine_id)),
      h("dt", {}, t("agency")), h("dd", {}, item.agency ?? "—"),
      h("dt", {}, t("findings")), h("dd", { class: "verdict" }, item.passed ? t("passed") : t("notPassed")),
      h("dt", {}, t("certificateNumber")), h("dd", {}, item.certificate_number ?? "—"),
      h("dt", {}, t("validUntil")), h("dd", {}, when(item.valid_until), item.state ? ` (${term(item.state)})` : ""));
  }
  return table(`findings-${item.inspection_id}`, t("findingsPerMachine"), ["machine", "findings", "detail"],
    item.findings.map((finding) => h("tr", { "data-machine-id": finding.machine_id, class: finding.passed ? "" : "overdue" },
      h("td", {}, machineLink(finding.machine_id)), h("td", { class: "verdict" }, finding.passed ? t("passed") : t("notPassed")),
      h("td", {}, finding.note || "—"))));
}

export function inspectionRow(item: Inspection): HTMLTableRowElement {
  const failed = item.findings.filter((f) => !f.passed).length + (item.passed === false ? 1 : 0);
  const summary = h("summary", {}, `${t("open")} · ${t("notPassed")} ${failed}`);
  return h("tr", { "data-inspection-id": item.inspection_id, "data-kind": item.kind },
    h("td", {}, when(item.inspected_at)), h("td", {}, term(item.kind)), h("td", {}, enterpriseLink(item.enterprise_id)),
    h("td", {}, item.jurisdiction ?? "—"), h("td", {}, item.departments.map(term).join("、") || "—"),
    h("td", {}, h("details", {}, summary, findings(item))));
}

export function inspectionTable(id: string, items: Inspection[]): HTMLTableElement {
  return table(id, t("inspections"), ["inspectedAt", "kind", "enterprise", "jurisdiction", "departments", "findings"],
    items.map(inspectionRow));
}
