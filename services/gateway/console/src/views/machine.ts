import { api, must } from "../api/client";
import { h, replace, when } from "../dom";
import { t, term } from "../i18n";
import { trackReplay } from "./track";

const DAY_MS = 86_400_000;

function fact(label: string, value: string | number | null | undefined): HTMLElement[] {
  return [h("dt", {}, label), h("dd", {}, value ?? "—")];
}

/** A machine's file: what it is, its timeline of events, its alerts, its track replayed on the map. */
export async function machineView(main: HTMLElement, id: string): Promise<() => void> {
  const path = { machine_id: id };
  const [file, alerts, track] = await Promise.all([
    must(api.GET("/api/v1/machines/{machine_id}/file", { params: { path } })),
    must(api.GET("/api/v1/alerts", { params: { query: { machine_id: id, limit: 50 } } })),
    must(api.GET("/api/v1/machines/{machine_id}/track", { params: { path, query: {
      from: new Date(Date.now() - 7 * DAY_MS).toISOString(), limit: 500 } } })),
  ]);
  const m = file.machine;
  const events = [...file.history.map((e) => ({ time: e.time, what: term(e.type.split(".").pop() ?? e.type) })),
    ...alerts.items.map((a) => ({ time: a.observed_at, what: `${t("alerts")}: ${term(a.rule)}` }))]
    .sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
  const replay = h("section", { class: "card", "aria-label": t("trackReplay") }, h("h2", {}, t("trackReplay")));
  const host = h("div");
  replay.append(host);
  replace(main, h("h1", {}, `${term(m.kind)} ${m.brand} ${m.model}`),
    h("dl", { class: "facts" }, ...fact(t("machine"), m.machine_id), ...fact(t("serial"), m.serial_number),
      ...fact(t("status"), term(m.status)), ...fact(t("terminal"), m.terminal_id),
      ...fact(t("nextReview"), m.next_review_due ? when(m.next_review_due) : null)),
    h("p", {}, h("a", { href: `#/enterprises/${encodeURIComponent(m.enterprise_id)}` }, `${t("enterprise")} ${m.enterprise_id}`)),
    replay,
    h("section", { class: "card" }, h("table", { id: "timeline" }, h("caption", {}, t("timeline")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("time")), h("th", { scope: "col" }, t("detail")))),
      h("tbody", {}, ...events.map((e) => h("tr", {}, h("td", {}, when(e.time)), h("td", {}, e.what)))))));
  return trackReplay(host, track.items);
}
