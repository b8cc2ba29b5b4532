import { api, everyPage, must, type Schemas } from "../api/client";
import { h, instant, replace, when } from "../dom";
import { t, term, type Key } from "../i18n";
import { inspections, inspectionTable } from "../inspections";
import { table } from "../table";
import { orders, orderTable } from "./orders";

type Campaign = Schemas["CampaignView"];
type Report = Schemas["CampaignReportView"];
interface Counted {
  campaign: Campaign;
  report: Report;
  checked: Schemas["InspectionView"][];
  ordered: Schemas["OrderView"][];
}

async function counted(campaign: Campaign): Promise<Counted> {
  const campaign_id = campaign.campaign_id;
  const [report, checked, ordered] = await Promise.all([
    must(api.GET("/api/v1/campaigns/{campaign_id}/report", { params: { path: { campaign_id } } })),
    inspections({ campaign_id }), orders({ campaign_id })]);
  return { campaign, report, checked, ordered };
}

/** The report's figures; key supervision counts the enterprises it reached that were listed
 * during its period (safety's report), not whoever is on the list today. */
function figures({ report }: Counted): [Key, number][] {
  return [["machinesChecked", report.machines_checked], ["hazards", report.hazards],
    ["machinesWithHazards", report.hazard_machines],
    ["machinesOrderedOut", report.major_hazard_machines], ["stopUseOrders", report.stop_use_orders],
    ["keySupervisedFirms", report.key_supervision_enterprises], ["rectifiedOnTime", report.rectified_on_time],
    ["rectifiedLate", report.rectified_late], ["openOrders", report.open_orders]];
}

function scope(campaign: Campaign): string {
  return `${campaign.jurisdictions.join("、")} · ${campaign.categories.map(term).join("、")}`;
}

function row(item: Counted): HTMLTableRowElement {
  const { campaign, report } = item;
  const href = `#/campaigns/${encodeURIComponent(campaign.campaign_id)}`;
  return h("tr", { "data-campaign-id": campaign.campaign_id },
    h("td", {}, h("a", { href }, campaign.title)), h("td", {}, scope(campaign)),
    h("td", {}, `${when(campaign.starts_at)} — ${when(campaign.ends_at)}`),
    h("td", { class: "hazards" }, report.hazards), h("td", { class: "ordered-out" }, report.major_hazard_machines),
    h("td", { class: "key-supervised" }, report.key_supervision_enterprises));
}

function detail(item: Counted): HTMLElement[] {
  const { campaign, checked, ordered } = item;
  return [h("h1", {}, campaign.title),
    h("section", { class: "card", "aria-label": t("scope") }, h("dl", {},
      h("dt", {}, t("scope")), h("dd", {}, scope(campaign)),
      h("dt", {}, t("period")), h("dd", {}, `${when(campaign.starts_at)} — ${when(campaign.ends_at)}`),
      h("dt", {}, t("launchedBy")), h("dd", {}, campaign.launched_by))),
    h("section", { class: "card" }, table("campaign-figures", t("campaign"), ["detail", "figure"],
      figures(item).map(([key, value]) => h("tr", { "data-figure": key }, h("td", {}, t(key)), h("td", {}, value))))),
    h("section", { class: "card" }, inspectionTable("campaign-inspections", checked)),
    h("section", { class: "card" }, orderTable("campaign-orders", ordered)),
    h("section", { class: "card" }, h("details", {}, h("summary", {}, t("checklist")),
      h("ul", {}, ...campaign.checklist.map((c) => h("li", {}, `${c.code} ${document.documentElement.lang === "en" ? c.en : c.zh}`)))))];
}

/** The campaigns with their scope and counts; one campaign with its findings and orders. */
export async function campaignsView(main: HTMLElement, campaignId: string): Promise<void> {
  replace(main, h("h1", {}, t("campaigns")), h("p", {}, t("loading")));
  if (campaignId) {
    const campaign = await must(api.GET("/api/v1/campaigns/{campaign_id}", { params: { path: { campaign_id: campaignId } } }));
    replace(main, ...detail(await counted(campaign)));
    return;
  }
  const campaigns = await everyPage((cursor) => must(api.GET("/api/v1/campaigns", { params: { query: { cursor, limit: 500 } } })));
  const items = await Promise.all(campaigns.sort((a, b) => instant(b.starts_at) - instant(a.starts_at)).map(counted));
  replace(main, h("h1", {}, t("campaigns")), h("section", { class: "card" },
    table("campaigns", t("campaigns"), ["campaignTitle", "scope", "period", "hazards", "machinesOrderedOut", "keySupervisedFirms"], items.map(row))));
}
