import { api, must } from "../api/client";
import type { Alert } from "../data";
import { h, replace, when } from "../dom";
import { t, term } from "../i18n";

const POLL_MS = 3000;

function row(alert: Alert, fresh: boolean): HTMLTableRowElement {
  return h("tr", { class: fresh ? "new" : "", "data-alert-id": alert.alert_id, "data-rule": alert.rule },
    h("td", {}, when(alert.observed_at)),
    h("td", {}, term(alert.rule)),
    h("td", {}, h("a", { href: `#/machines/${encodeURIComponent(alert.machine_id)}` }, alert.machine_id)),
    h("td", {}, h("a", { href: `#/enterprises/${encodeURIComponent(alert.enterprise_id)}` }, alert.enterprise_id)),
    h("td", {}, alert.detail),
  );
}

/** The newest alerts, kept current without a reload: polled every few seconds (the seam for
 * the gateway's SSE stream, GET /api/v1/alerts/stream, once it is published). */
export function alertsView(main: HTMLElement): () => void {
  const body = h("tbody");
  const announce = h("p", { class: "sr-only", "aria-live": "polite" });
  const seen = new Set<string>();
  replace(
    main,
    h("h1", {}, t("liveAlerts")),
    h("p", { class: "note" }, t("casesSeam")),
    announce,
    h("table", { id: "alerts" },
      h("caption", {}, t("liveAlerts")),
      h("thead", {}, h("tr", {}, ...["time", "rule", "machine", "enterprise", "detail"].map(
        (key) => h("th", { scope: "col" }, t(key as "time")),
      ))),
      body,
    ),
  );
  let first = true;
  const poll = async (): Promise<void> => {
    const page = await must(api.GET("/api/v1/alerts", { params: { query: { limit: 50 } } }));
    const fresh = page.items.filter((alert) => !seen.has(alert.alert_id));
    fresh.forEach((alert) => seen.add(alert.alert_id));
    if (!first && fresh.length > 0) replace(announce, `${t("newAlert")}: ${fresh.map((a) => term(a.rule)).join(", ")}`);
    replace(body, ...page.items.map((alert) => row(alert, !first && fresh.includes(alert))));
    if (page.items.length === 0) replace(body, h("tr", {}, h("td", { colspan: 5 }, t("noAlerts"))));
    first = false;
  };
  const problem = h("p", { role: "status", class: "error" });
  main.insertBefore(problem, announce);
  const tick = (): void => void poll().then(() => replace(problem), (error: Error) => replace(problem, `${t("failed")}: ${error.message}`));
  tick();
  const timer = window.setInterval(tick, POLL_MS);
  return () => window.clearInterval(timer);
}
