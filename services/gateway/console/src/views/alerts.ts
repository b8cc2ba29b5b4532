import { api, must } from "../api/client";
import type { Alert } from "../data";
import { h, replace, when } from "../dom";
import { t, term } from "../i18n";
import { streamAlerts, type StreamState } from "../stream";

const SHOWN = 50;

function row(alert: Alert, fresh: boolean): HTMLTableRowElement {
  return h("tr", { class: fresh ? "new" : "", "data-alert-id": alert.alert_id, "data-rule": alert.rule },
    h("td", {}, when(alert.observed_at)),
    h("td", {}, term(alert.rule)),
    h("td", {}, h("a", { href: `#/machines/${encodeURIComponent(alert.machine_id)}` }, alert.machine_id)),
    h("td", {}, h("a", { href: `#/enterprises/${encodeURIComponent(alert.enterprise_id)}` }, alert.enterprise_id)),
    h("td", {}, alert.detail),
  );
}

/** The newest alerts, then each new one as the gateway pushes it (SSE), without a reload. */
export function alertsView(main: HTMLElement): () => void {
  const body = h("tbody");
  const announce = h("p", { class: "sr-only", "aria-live": "polite" });
  const state = h("p", { id: "stream-state", role: "status", class: "note" });
  const seen = new Set<string>();
  replace(main, h("h1", {}, t("liveAlerts")), state, h("p", { class: "note" }, h("a", { href: "#/cases" }, t("casesSeam"))), announce,
    h("table", { id: "alerts" }, h("caption", {}, t("liveAlerts")),
      h("thead", {}, h("tr", {}, ...["time", "rule", "machine", "enterprise", "detail"].map(
        (key) => h("th", { scope: "col" }, t(key as "time"))))), body));
  const add = (alert: Alert, fresh: boolean): void => {
    if (seen.has(alert.alert_id)) return;
    seen.add(alert.alert_id);
    if (body.querySelector("td[colspan]")) replace(body);
    if (fresh) { body.prepend(row(alert, true)); replace(announce, `${t("newAlert")}: ${term(alert.rule)}`); }
    else body.append(row(alert, false));
    while (body.rows.length > SHOWN) body.deleteRow(-1);
  };
  const shown = (s: StreamState): void => replace(state, s === "open" ? t("streamOpen") : t("streamRetrying"));
  const stop = streamAlerts((alert) => add(alert, true), shown);
  must(api.GET("/api/v1/alerts", { params: { query: { limit: SHOWN } } })).then((page) => {
    page.items.forEach((alert) => add(alert, false));
    if (body.rows.length === 0) replace(body, h("tr", {}, h("td", { colspan: 5 }, t("noAlerts"))));
  }, (error: Error) => replace(state, h("span", { class: "error" }, `${t("failed")}: ${error.message}`)));
  return stop;
}
