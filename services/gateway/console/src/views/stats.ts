import { h, latestOnly, replace } from "../dom";
import { download, isoDay } from "../download";
import { t, term } from "../i18n";
import { published, type Published, type Row } from "../statistics";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function summary(figures: Published): Row[] {
  const tips = figures.tips;
  return [
    [t("alertsInPeriod"), figures.alertsByRule.reduce((sum, [, n]) => sum + Number(n), 0)],
    [t("suspendedMachines"), figures.suspended],
    [t("keySupervisionList"), figures.keySupervision.length],
    [t("procurementRestrictedList"), figures.restricted.length],
    [t("tipsReceived"), tips.received], [t("tipsVerified"), tips.verified], [t("tipsMajor"), tips.major_hazards],
    [t("hoursToVerify"), tips.average_hours_to_verify?.toFixed(1) ?? "—"],
    [t("rewardsPaidYuan"), tips.rewards_paid_yuan],
    [t("hazardsInCampaigns"), figures.campaigns.reduce((sum, c) => sum + c.hazards, 0)],
  ];
}

function table(id: string, caption: string, head: string[], rows: (string | number)[][]): HTMLElement {
  return h("table", { id }, h("caption", {}, caption),
    h("thead", {}, h("tr", {}, ...head.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c) => h("td", {}, c))))));
}

function sheets(figures: Published): [string, string[], (string | number)[][]][] {
  const firms = (list: Published["keySupervision"]): (string | number)[][] =>
    list.map((f) => [f.name, f.uscc, f.safety.balance, f.credit.grade]);
  const firmHead = [t("enterprise"), t("uscc"), t("safetyPoints"), t("creditGrade")];
  return [
    [t("summary"), [t("figure"), t("value")], summary(figures)],
    [t("alertsByRule"), [t("rule"), t("count")], figures.alertsByRule.map(([rule, n]) => [term(rule), n])],
    [t("keySupervisionList"), firmHead, firms(figures.keySupervision)],
    [t("procurementRestrictedList"), firmHead, firms(figures.restricted)],
    [t("handlingTimes"), [t("period"), t("kind"), t("decided"), t("overdueCount"), t("averageWorkingDays")],
      figures.handling.map((r) => [r.period, term(r.kind), r.decided, r.overdue, r.average_working_days?.toFixed(2) ?? "—"])],
    [t("hazardsPerCampaign"), [t("campaign"), t("period"), t("hazards"), t("machinesOrderedOut"), t("stopUseOrders")],
      figures.campaigns.map((c) => [c.title, c.period, c.hazards, c.majorHazardMachines, c.stopUseOrders])],
  ];
}

async function workbook(figures: Published): Promise<ArrayBuffer> {
  const { Workbook } = (await import("exceljs")).default;
  const book = new Workbook();
  for (const [name, head, rows] of sheets(figures)) {
    const sheet = book.addWorksheet(name.slice(0, 31));
    sheet.addRow([`${figures.start} — ${figures.end}`]);
    sheet.addRow(head).font = { bold: true };
    rows.forEach((row) => sheet.addRow(row));
    sheet.columns.forEach((column) => { column.width = 22; });
  }
  return book.xlsx.writeBuffer();
}

/** The statistics the center publishes, for any period, and the same as an XLSX workbook. */
export function statsView(main: HTMLElement): void {
  const today = isoDay();
  const first = h("input", { id: "stats-from", type: "date", value: `${today.slice(0, 8)}01`, required: true });
  const last = h("input", { id: "stats-to", type: "date", value: today, required: true });
  const out = h("div", { "aria-live": "polite" });
  const load = async (event?: Event): Promise<Published> => {
    event?.preventDefault();
    replace(out, h("p", {}, t("loading")));
    return published(first.value, last.value);
  };
  // The file is named by the period its figures cover, not by what the inputs hold by then.
  const show = latestOnly(load, (figures) => {
    const save = async (): Promise<void> =>
      download(`tianmen-statistics-${figures.start}-${figures.end}.xlsx`, await workbook(figures), XLSX);
    replace(out, ...sheets(figures).map(([name, head, rows], n) => h("section", { class: "card" }, table(`stats-${n}`, name, head, rows))),
      h("button", { type: "button", id: "export-xlsx", onclick: () => void save() }, t("exportXlsx")));
  });
  const failed = (problem: Error): void => replace(out, h("p", { role: "alert", class: "error" }, `${t("failed")}: ${problem.message}`));
  replace(main, h("h1", {}, t("statistics")),
    h("form", { class: "card", onsubmit: (e) => void show(e).catch(failed) },
      h("label", { for: "stats-from" }, t("periodFrom")), first,
      h("label", { for: "stats-to" }, t("periodTo")), last,
      h("button", { type: "submit" }, t("show"))), out);
  void show().catch(failed);
}
