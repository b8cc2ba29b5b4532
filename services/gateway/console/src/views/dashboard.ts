import { BarChart } from "echarts/charts";
import { GridComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { api, everyPage, must } from "../api/client";
import { machines, online, perDay, recentAlerts, startOfToday, terminals } from "../data";
import { h, instant, replace } from "../dom";
import { t } from "../i18n";
import { openApplications } from "./applications";

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

function card(label: string, value: string | number, note?: string): HTMLElement {
  return h("section", { class: "card stat", "aria-label": label },
    h("h2", {}, label), h("p", { class: "figure" }, value), note ? h("p", { class: "note" }, note) : null);
}

export async function dashboardView(main: HTMLElement): Promise<void> {
  replace(main, h("h1", {}, t("dashboard")), h("p", {}, t("loading")));
  const fleet = machines();
  const listed = everyPage((cursor) => must(api.GET("/api/v1/enterprises", { params: { query: { cursor, limit: 500 } } })));
  const [reporting, alerts, enterprises, due, cases, tips] = await Promise.all([
    fleet.then(terminals).then((states) => states.filter((state) => online(state)).length),
    recentAlerts(28),
    listed,
    listed.then((all) => openApplications(all.map((e) => e.enterprise_id))),
    must(api.GET("/api/v1/cases", { params: { query: { state: "open", limit: 100 } } })),
    everyPage((cursor) => must(api.GET("/api/v1/tips", { params: { query: { cursor, limit: 500 } } }))),
  ]);
  const oldest = cases.items.length ? instant(cases.items[0].opened_at) : null;
  const today = alerts.filter((alert) => Date.parse(alert.observed_at) >= startOfToday());
  const chart = h("div", { class: "chart", role: "img", "aria-label": t("alertsByDay") });
  replace(
    main,
    h("h1", {}, t("dashboard")),
    h("div", { class: "cards" },
      card(t("machinesRegistered"), (await fleet).length),
      card(t("machinesOnline"), reporting, t("onlineMeans")),
      card(t("alertsToday"), today.length),
      card(t("enterprises"), enterprises.length),
      card(t("openCases"), `${cases.items.length}${cases.next_cursor ? "+" : ""}`,
        oldest ? `${t("oldestCase")} ${Math.floor((Date.now() - oldest) / 3_600_000)}${t("hoursShort")}` : undefined),
      card(t("applicationsDue"), due.length, t("openApplications")),
      card(t("tipsWaiting"), tips.length),
    ),
    h("section", { class: "card" }, h("h2", {}, t("alertsByDay")), chart),
  );
  const days = perDay(alerts, 28);
  echarts.init(chart).setOption({
    tooltip: {},
    grid: { left: 40, right: 16, top: 16, bottom: 32 },
    xAxis: { type: "category", data: days.map((d) => d.day) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", name: t("alerts"), data: days.map((d) => d.count), itemStyle: { color: "#b3261e" } }],
  });
}
