import { api, everyPage, must, type Schemas } from "../api/client";
import { h, instant, latestOnly, replace, when } from "../dom";
import { t, term } from "../i18n";
import { claims, STAFF } from "../session";

type Case = Schemas["CaseView"];
type Decision = "acknowledge" | "confirm" | "dismiss" | "escalate";
type State = "open" | "acknowledged" | "confirmed" | "dismissed" | "revoked";
const STATES: State[] = ["open", "acknowledged", "confirmed", "dismissed", "revoked"];
const DECIDERS = STAFF.filter((role) => role.endsWith("_staff"));
const REFRESH_MS = 5000;
const PAGES = 10;
const HOUR_MS = 3_600_000;

function age(item: Case, now = Date.now()): string {
  const hours = Math.floor((now - instant(item.opened_at)) / HOUR_MS);
  return hours < 24 ? `${hours}${t("hoursShort")}` : `${Math.floor(hours / 24)}${t("daysShort")} ${hours % 24}${t("hoursShort")}`;
}

function actions(item: Case, decide: (item: Case, decision: Decision, reason: string) => void): HTMLElement | null {
  if (!DECIDERS.includes(claims()?.tianmen_role ?? "") || !["open", "acknowledged"].includes(item.state)) return null;
  const reason = h("input", { id: `reason-${item.case_id}`, maxlength: 500 });
  const button = (decision: Decision, label: string): HTMLElement =>
    h("button", { type: "button", onclick: () => decide(item, decision, reason.value) }, label);
  return h("div", { class: "actions" },
    item.state === "open" ? button("acknowledge", t("acknowledge")) : null, button("confirm", t("confirm")),
    h("label", { for: `reason-${item.case_id}` }, t("caseReason")), reason, button("dismiss", t("dismiss")),
    item.tier === "city" ? null : button("escalate", t("escalate")));
}

function row(item: Case, decide: (item: Case, decision: Decision, reason: string) => void): HTMLTableRowElement {
  return h("tr", { "data-case-id": item.case_id, "data-state": item.state },
    h("td", {}, when(item.opened_at), h("br"), h("span", { class: "note" }, age(item))),
    h("td", {}, term(item.code)), h("td", {}, term(item.severity)),
    h("td", {}, item.machine_id ? h("a", { href: `#/machines/${encodeURIComponent(item.machine_id)}` }, item.machine_id) : "—"),
    h("td", {}, h("a", { href: `#/enterprises/${encodeURIComponent(item.enterprise_id)}` }, item.enterprise_id)),
    h("td", { class: "tier" }, `${term(item.tier)}${item.escalations ? ` (${t("escalated")} ×${item.escalations})` : ""}`, h("br"),
      h("span", { class: "note" }, `${t("dueAt")} ${when(item.due_at)}`)),
    h("td", { class: "state" }, term(item.state), item.decided_by ? ` · ${item.decided_by}` : ""),
    h("td", {}, actions(item, decide)));
}

/** The case desk: cases oldest first by state; staff acknowledge, confirm, dismiss or escalate
 * them with a reason (a case also goes up a tier by itself when a tier lets its deadline pass). */
export function casesView(main: HTMLElement): () => void {
  const state = h("select", { id: "case-state" }, ...STATES.map((s) => h("option", { value: s }, term(s))));
  const body = h("tbody");
  const notice = h("p", { role: "status", class: "notice" });
  const decide = (item: Case, decision: Decision, reason: string): void => {
    must(api.POST("/api/v1/cases/{case_id}/{decision}", { params: { path: { case_id: item.case_id, decision } }, body: { reason } }))
      .then(() => replace(notice, `${t(decision)}: ${item.case_id} ${t("decisionRecorded")}`),
        (problem: Error) => replace(notice, h("span", { class: "error" }, problem.message)));
  };
  // The gateway filters each page to the caller's scope: a liaison's cases may lie pages in.
  // A refresh of the state shown before a change answers late: only the latest call renders.
  const show = latestOnly(
    () => everyPage((cursor) => must(api.GET("/api/v1/cases", { params: { query: { state: state.value as State, cursor, limit: 100 } } })), PAGES),
    (items) => {
      if (main.contains(document.activeElement) && document.activeElement?.tagName === "INPUT") return; // not while typing
      replace(body, ...(items.length ? items.map((item) => row(item, decide)) : [h("tr", {}, h("td", { colspan: 8 }, t("none")))]));
    });
  const failed = (problem: Error): void => replace(notice, h("span", { class: "error" }, `${t("failed")}: ${problem.message}`));
  state.addEventListener("change", () => void show().catch(failed));
  replace(main, h("h1", {}, t("cases")), h("label", { for: "case-state" }, t("state")), state, notice,
    h("table", { id: "cases" }, h("caption", {}, t("cases")), h("thead", {}, h("tr", {},
      ...["opened", "violation", "severity", "machine", "enterprise", "tier", "state", "decide"].map((key) => h("th", { scope: "col" }, t(key as "state"))))), body));
  void show().catch(failed);
  const timer = window.setInterval(() => void show().catch(failed), REFRESH_MS);
  return () => window.clearInterval(timer);
}
