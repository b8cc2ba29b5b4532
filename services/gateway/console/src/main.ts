import "./style.css";
import { h, replace } from "./dom";
import { lang, t, toggleLang } from "./i18n";
import { claims, home, isStaff, signOut } from "./session";
import { alertsView } from "./views/alerts";
import { applicationsView } from "./views/applications";
import { auditView } from "./views/audit";
import { campaignsView } from "./views/campaigns";
import { casesView } from "./views/cases";
import { inspectionsView } from "./views/inspections";
import { ordersView } from "./views/orders";
import { tipsView } from "./views/tips";
import { statsView } from "./views/stats";
import { citizenView } from "./views/citizen";
import { enterpriseView } from "./views/enterprise";
import { loginView } from "./views/login";
import { portalView } from "./views/portal";

type Leave = () => void;
type View = (main: HTMLElement, arg: string) => void | Leave | Promise<void | Leave>;
// The chart and map libraries load only on the screens that draw them (the phone page stays small).
const VIEWS: Record<string, View> = {
  dashboard: async (main) => (await import("./views/dashboard")).dashboardView(main),
  map: async (main) => (await import("./views/map")).mapView(main), alerts: alertsView, enterprises: enterpriseView,
  portal: portalView, citizen: citizenView, login: loginView, audit: auditView, applications: applicationsView,
  statistics: statsView, cases: casesView, inspections: inspectionsView, campaigns: campaignsView, orders: ordersView, tips: tipsView, machines: async (main, id) => (await import("./views/machine")).machineView(main, id),
};
let leave: Leave | null = null;
let screens = 0;

function nav(role: string | undefined): HTMLElement {
  const links: [string, string][] = isStaff(role)
    ? [["#/dashboard", t("dashboard")], ["#/map", t("map")], ["#/alerts", t("alerts")], ["#/cases", t("cases")],
      ["#/tips", t("tipsQueue")], ["#/inspections", t("inspections")], ["#/campaigns", t("campaigns")], ["#/orders", t("orders")],
      ["#/applications", t("applications")], ["#/statistics", t("statistics")], ["#/audit", t("audit")]]
    : role === "enterprise" ? [["#/portal", t("portal")]] : role === "citizen" ? [["#/citizen", t("citizen")]] : [];
  return h("nav", { "aria-label": t("title") }, ...links.map(([href, label]) =>
    h("a", { href, "aria-current": location.hash.startsWith(href) ? "page" : null }, label)));
}

function header(): HTMLElement {
  const who = claims();
  const switchLang = (): void => { toggleLang(); render(); };
  const out = (): void => { signOut(); location.hash = "#/login"; };
  return h("header", {}, h("strong", {}, t("title")), nav(who?.tianmen_role),
    h("button", { type: "button", lang: lang() === "en" ? "zh-CN" : "en", "aria-label": t("languageLabel"), onclick: switchLang }, t("language")),
    who ? h("button", { type: "button", onclick: out }, `${t("signOut")} (${who.sub})`) : null);
}

function render(): void {
  leave?.();
  leave = null;
  document.documentElement.lang = lang();
  document.title = t("title");
  const [, name = "", arg = ""] = location.hash.split("/").map(decodeURIComponent);
  const signedIn = claims() !== null;
  if (!signedIn && name !== "login") { location.hash = "#/login"; return; }
  if (signedIn && (name === "" || name === "login")) { location.hash = home(claims()?.tianmen_role); return; }
  const main = h("main", { id: "main", tabindex: -1 });
  replace(document.getElementById("app")!, header(), main);
  const view = VIEWS[name] ?? VIEWS.login;
  const shown = ++screens;
  void Promise.resolve(view(main, arg)).then(
    (result) => { if (typeof result === "function") shown === screens ? (leave = result) : result(); },
    (problem: Error) => replace(main, h("p", { role: "alert", class: "error" }, `${t("failed")}: ${problem.message}`)),
  );
}

window.addEventListener("hashchange", render);
render();
