import { api, everyPage, must, type Schemas } from "../api/client";
import { h, instant, replace, when } from "../dom";
import { t, term } from "../i18n";

type Application = Schemas["ApplicationView"];
const OPEN = new Set(["submitted", "accepted"]);
const HOUR_MS = 3_600_000;

/** Time left to the registry's deadline (24:00 China time of the 2nd working day), or overdue. */
export function countdown(application: Application, now = Date.now()): string {
  if (!application.due_at) return "—";
  const hours = Math.floor((instant(application.due_at) - now) / HOUR_MS);
  if (application.overdue || hours < 0) return t("overdue");
  return `${t("dueIn")} ${Math.floor(hours / 24)}${t("daysShort")} ${hours % 24}${t("hoursShort")}`;
}

/** Open applications of the enterprises in the caller's scope (from each enterprise's file). */
export async function openApplications(enterpriseIds: string[]): Promise<Application[]> {
  const files = await Promise.all(enterpriseIds.map((id) =>
    must(api.GET("/api/v1/enterprises/{enterprise_id}/file", { params: { path: { enterprise_id: id } } }))));
  const open = files.flatMap((f) => f.recent_applications.filter((a) => OPEN.has(a.stage)));
  const views = await Promise.all(open.map((a) =>
    must(api.GET("/api/v1/applications/{application_id}", { params: { path: { application_id: a.application_id } } }))));
  return views.sort((a, b) => instant(a.due_at ?? a.submitted_at) - instant(b.due_at ?? b.submitted_at));
}

export function applicationTable(items: Application[]): HTMLElement {
  return h("table", { id: "applications" }, h("caption", {}, t("applicationsQueue")),
    h("thead", {}, h("tr", {}, ...["kind", "machine", "enterprise", "submittedAt", "dueAt", "countdown"].map(
      (key) => h("th", { scope: "col" }, t(key as "kind"))))),
    h("tbody", {}, ...(items.length === 0 ? [h("tr", {}, h("td", { colspan: 6 }, t("none")))] : items.map((a) =>
      h("tr", { "data-application-id": a.application_id, class: a.overdue ? "overdue" : "" },
        h("td", {}, term(a.kind)), h("td", {}, h("a", { href: `#/machines/${encodeURIComponent(a.machine_id)}` }, a.machine_id)),
        h("td", {}, h("a", { href: `#/enterprises/${encodeURIComponent(a.enterprise_id)}` }, a.enterprise_id)),
        h("td", {}, when(a.submitted_at)), h("td", {}, when(a.due_at)), h("td", { class: "countdown" }, countdown(a)))))));
}

export async function applicationsView(main: HTMLElement): Promise<void> {
  replace(main, h("h1", {}, t("applicationsQueue")), h("p", {}, t("loading")));
  const enterprises = await everyPage((cursor) =>
    must(api.GET("/api/v1/enterprises", { params: { query: { cursor, limit: 500 } } })));
  const items = await openApplications(enterprises.map((e) => e.enterprise_id));
  replace(main, h("h1", {}, t("applicationsQueue")), h("p", { class: "note" }, t("countdownMeans")),
    h("section", { class: "card" }, applicationTable(items)));
}
