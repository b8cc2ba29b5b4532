// Reads the screens share: alerts and machines, page by page.
import { api, everyPage, must, type Schemas } from "./api/client";

export type Alert = Schemas["AlertRaised"];
export type Machine = Schemas["MachineView"];
export type Terminal = Schemas["TerminalView"];

const MOST_TERMINALS = 200;
export const ONLINE_MS = 15 * 60_000;

const DAY_MS = 86_400_000;

/** Alerts newest first, back to `days` days ago (of one enterprise if given). */
export async function recentAlerts(days: number, enterprise_id?: string): Promise<Alert[]> {
  const since = Date.now() - days * DAY_MS;
  const items = await everyPage(
    (cursor) => must(api.GET("/api/v1/alerts", { params: { query: { cursor, limit: 500, enterprise_id } } })),
    20,
    (page) => page.every((alert) => Date.parse(alert.observed_at) >= since),
  );
  return items.filter((alert) => Date.parse(alert.observed_at) >= since);
}

export async function machines(enterprise_id?: string): Promise<Machine[]> {
  return everyPage((cursor) =>
    must(api.GET("/api/v1/machines", { params: { query: { cursor, limit: 500, enterprise_id } } })),
  );
}

/** Local midnight of today (the console runs where its staff are: Asia/Shanghai). */
export function startOfToday(): number {
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  return today.getTime();
}

/** Alert counts per local day for the last `days` days, oldest first. */
export function perDay(alerts: Alert[], days: number): { day: string; count: number }[] {
  const counts = new Map<string, number>();
  for (let n = days - 1; n >= 0; n--) counts.set(dayOf(startOfToday() - n * DAY_MS), 0);
  for (const alert of alerts) {
    const day = dayOf(Date.parse(alert.observed_at));
    if (counts.has(day)) counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  return [...counts].map(([day, count]) => ({ day, count }));
}

function dayOf(ms: number): string {
  const date = new Date(ms);
  return `${date.getMonth() + 1}-${String(date.getDate()).padStart(2, "0")}`;
}

/** The last reported state of each bound machine's terminal (at most 200 of them). */
export async function terminals(fleet: Machine[]): Promise<Terminal[]> {
  const bound = fleet.filter((m) => m.terminal_id).slice(0, MOST_TERMINALS);
  const states = await Promise.all(bound.map((m) =>
    must(api.GET("/api/v1/terminals/{terminal_id}", { params: { path: { terminal_id: m.terminal_id ?? "" } } }))
      .catch(() => null)));
  return states.filter((state): state is Terminal => state !== null);
}

/** A terminal that reported within the last 15 minutes. */
export function online(state: Terminal, now = Date.now()): boolean {
  return state.last_report_at !== null && now - Date.parse(state.last_report_at) <= ONLINE_MS;
}
