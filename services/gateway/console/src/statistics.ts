// The figures the center publishes for a period, gathered from the gateway's reads.
import { api, everyPage, must, type Schemas } from "./api/client";
import type { Alert } from "./data";
import { machines } from "./data";
import { startOfDay, endOfDay } from "./download";
import { hazardsPerCampaign, type CampaignHazards } from "./campaignStats";

type Overview = Schemas["EnterpriseOverview"];
export type Row = [string, string | number];

export interface Published {
  start: string;
  end: string;
  alertsByRule: Row[];
  suspended: number;
  keySupervision: Overview[];
  restricted: Overview[];
  tips: Schemas["FiguresView"]["figures"];
  handling: Schemas["HandlingTime"][];
  campaigns: CampaignHazards[];
}

/** Alerts observed in [start, end), newest first. */
async function alertsIn(start: number, end: number): Promise<Alert[]> {
  const items = await everyPage(
    (cursor) => must(api.GET("/api/v1/alerts", { params: { query: { cursor, limit: 500 } } })),
    50,
    (page) => page.every((alert) => Date.parse(alert.observed_at) >= start),
  );
  return items.filter((a) => Date.parse(a.observed_at) >= start && Date.parse(a.observed_at) < end);
}

function countBy<T>(items: T[], key: (item: T) => string): Row[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

async function overviews(): Promise<Overview[]> {
  const listed = await everyPage((cursor) => must(api.GET("/api/v1/enterprises", { params: { query: { cursor, limit: 500 } } })));
  return Promise.all(listed.map((e) => must(api.GET("/api/v1/enterprises/{enterprise_id}", {
    params: { path: { enterprise_id: e.enterprise_id } } }))));
}

/** The period's figures: days are China days, `last` included. */
export async function published(first: string, last: string): Promise<Published> {
  const start = startOfDay(first);
  const end = new Date(Date.parse(endOfDay(last)) + 1000).toISOString();
  const [alerts, fleet, files, tips, handling, campaigns] = await Promise.all([
    alertsIn(Date.parse(start), Date.parse(end)), machines(), overviews(),
    must(api.GET("/api/v1/tip-stats", { params: { query: { start, end } } })),
    must(api.GET("/api/v1/application-stats/handling-times", { params: { query: { period: "month" } } })),
    hazardsPerCampaign(Date.parse(start), Date.parse(end)),
  ]);
  return {
    start: first, end: last,
    alertsByRule: countBy(alerts, (a) => a.rule),
    suspended: fleet.filter((m) => m.status === "suspended").length,
    keySupervision: files.filter((f) => f.safety.key_supervision),
    restricted: files.filter((f) => f.credit.procurement_restricted),
    tips: tips.figures,
    handling: handling.filter((row) => row.period >= first.slice(0, 7) && row.period <= last.slice(0, 7)),
    campaigns,
  };
}
