// Hazards per campaign for the statistics: the campaigns running at any time in the period,
// each with the hazards found under it, as the safety desk's campaign report counts them.
import { api, everyPage, must } from "./api/client";
import { instant, when } from "./dom";

export interface CampaignHazards {
  title: string;
  period: string;
  hazards: number;
  majorHazardMachines: number;
  stopUseOrders: number;
}

/** The campaigns overlapping [start, end) (epoch ms), earliest first, with their hazards. */
export async function hazardsPerCampaign(start: number, end: number): Promise<CampaignHazards[]> {
  const all = await everyPage((cursor) => must(api.GET("/api/v1/campaigns", { params: { query: { cursor, limit: 500 } } })));
  const running = all.filter((c) => instant(c.starts_at) < end && instant(c.ends_at) >= start)
    .sort((a, b) => instant(a.starts_at) - instant(b.starts_at));
  return Promise.all(running.map(async (campaign) => {
    const report = await must(api.GET("/api/v1/campaigns/{campaign_id}/report", {
      params: { path: { campaign_id: campaign.campaign_id } } }));
    return { title: campaign.title, period: `${when(campaign.starts_at)} — ${when(campaign.ends_at)}`,
      hazards: report.hazards, majorHazardMachines: report.major_hazard_machines, stopUseOrders: report.stop_use_orders };
  }));
}
