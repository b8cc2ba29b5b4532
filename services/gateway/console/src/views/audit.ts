import { api, everyPage, must, type Schemas } from "../api/client";
import { h, latestOnly, replace, when } from "../dom";
import { download, endOfDay, isoDay } from "../download";
import { lang, t, term } from "../i18n";

type Standing = Schemas["StandingView"];
type AsOf = Schemas["AsOfView"];
const SERVICES = ["telemetry", "safety", "credit"] as const;

function standingCard(title: string, id: string, standing: Standing): HTMLElement {
  return h("section", { class: "card", id, "aria-label": title }, h("h2", {}, title),
    h("p", { class: "figure" }, h("span", { class: "score" }, standing.score), " · ",
      h("span", { class: "grade" }, standing.grade)),
    h("p", { class: "note" }, `${t("model")} ${standing.model_version} · ${when(standing.at)}`),
    h("ul", {}, ...standing.contributions.map((c) =>
      h("li", {}, `${c.effect > 0 ? "+" : ""}${c.effect} ${lang() === "en" ? c.en : c.zh}`))));
}

function lateFacts(view: AsOf): HTMLElement {
  return h("section", { class: "card" }, h("h2", {}, t("lateFacts")),
    view.late.length === 0 ? h("p", {}, t("none")) : h("ul", { id: "late" }, ...view.late.map((fact) =>
      h("li", {}, `${when(fact.at)} ${fact.kind} ${fact.code} (${t("recorded")} ${when(fact.recorded_at)})`))));
}

/** An auditor's view: every derived service's digest, an enterprise's standing as known on a
 * day against as now known, and the bundle of both to keep. */
export async function auditView(main: HTMLElement): Promise<void> {
  const enterprises = await everyPage((cursor) =>
    must(api.GET("/api/v1/enterprises", { params: { query: { cursor, limit: 500 } } })));
  const day = h("input", { id: "audit-day", type: "date", value: isoDay(), max: isoDay(), required: true });
  const who = h("select", { id: "audit-enterprise" }, ...enterprises.map((e) =>
    h("option", { value: e.enterprise_id }, `${e.name} (${e.enterprise_id})`)));
  const out = h("div", { "aria-live": "polite" });
  const load = async (event?: Event) => {
    event?.preventDefault();
    replace(out, h("p", {}, t("loading")));
    const [enterprise, asked] = [who.value, day.value]; // the bundle holds what was asked, whatever the inputs hold later
    const [digests, asOf, history] = await Promise.all([
      must(api.GET("/api/v1/audit/digests")),
      must(api.GET("/api/v1/enterprises/{enterprise_id}/credit/as-of", {
        params: { path: { enterprise_id: enterprise }, query: { at: endOfDay(asked) } } })),
      must(api.GET("/api/v1/enterprises/{enterprise_id}/credit/history", {
        params: { path: { enterprise_id: enterprise }, query: { limit: 200 } } })),
    ]);
    return { enterprise, asked, digests, asOf, history };
  };
  const show = latestOnly(load, ({ enterprise, asked, digests, asOf, history }) => {
    const bundle = { kind: "tianmen.console.audit-bundle", enterprise_id: enterprise, day: asked,
      exported_at: new Date().toISOString(), digests, as_of: asOf, credit_history: history.items };
    const save = (): void => download(`audit-${enterprise}-${asked}.json`, JSON.stringify(bundle, null, 2), "application/json");
    replace(out,
      h("table", { id: "digests" }, h("caption", {}, t("digests")),
        h("thead", {}, h("tr", {}, ...SERVICES.map((s) => h("th", { scope: "col" }, term(s))))),
        h("tbody", {}, h("tr", {}, ...SERVICES.map((s) => h("td", { "data-service": s }, h("code", {}, digests[s])))))),
      h("div", { class: "cards pair" }, standingCard(t("knownThen"), "known-then", asOf.known_then),
        standingCard(t("nowKnown"), "now-known", asOf.now_known)),
      lateFacts(asOf),
      h("button", { type: "button", id: "export-bundle", onclick: save }, t("exportBundle")));
  });
  replace(main, h("h1", {}, t("audit")),
    h("form", { class: "card", onsubmit: (e) => void show(e).catch(failed) },
      h("label", { for: "audit-day" }, t("asOfDay")), day,
      h("label", { for: "audit-enterprise" }, t("enterprise")), who,
      h("button", { type: "submit" }, t("show"))), out);
  const failed = (problem: Error): void => replace(out, h("p", { role: "alert", class: "error" }, `${t("failed")}: ${problem.message}`));
}
