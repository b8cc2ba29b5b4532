import { api, everyPage, must, type Schemas } from "../api/client";
import { h, instant, replace, when } from "../dom";
import { t, term, type Key } from "../i18n";
import { enterpriseLink, field, machineLink, options, table } from "../table";

export type Order = Schemas["OrderView"];
type State = "open" | "overdue" | "closed";
const STATES: State[] = ["open", "overdue", "closed"];
const STATE_NAMES: Record<State, Key> = { open: "orderIssued", overdue: "orderOverdue", closed: "orderClosed" };

/** Issued, overdue, or closed: a stop-use order is lifted, a rectification rectified. */
function status(order: Order): Key {
  if (order.state === "closed") return order.kind === "stop_use" ? "orderLifted" : "orderRectified";
  return order.state === "overdue" ? "orderOverdue" : "orderIssued";
}

export async function orders(query: { state?: State; campaign_id?: string }): Promise<Order[]> {
  const items = await everyPage((cursor) => must(api.GET("/api/v1/orders", { params: { query: { ...query, cursor, limit: 500 } } })));
  return items.sort((a, b) => instant(b.found_at) - instant(a.found_at));
}

export function orderTable(id: string, items: Order[]): HTMLTableElement {
  return table(id, t("orders"), ["foundAt", "order", "hazard", "machine", "enterprise", "dueAt", "status", "closedAt"],
    items.map((order) => h("tr", { "data-order-id": order.order_id, "data-kind": order.kind, class: order.overdue ? "overdue" : "" },
      h("td", {}, when(order.found_at)), h("td", {}, term(order.kind)),
      h("td", {}, `${term(order.severity)}${order.major ? ` · ${t("majorHazard")}` : ""}`, h("br"), order.description),
      h("td", {}, machineLink(order.machine_id)), h("td", {}, enterpriseLink(order.enterprise_id)),
      h("td", {}, when(order.due_at)), h("td", { class: "state" }, t(status(order))), h("td", {}, when(order.closed_at)))));
}

/** Stop-use and rectification orders in scope, by state. */
export async function ordersView(main: HTMLElement): Promise<void> {
  replace(main, h("h1", {}, t("orders")), h("p", {}, t("loading")));
  const state = h("select", {}, ...options(STATES, t("allStates"), (s) => t(STATE_NAMES[s as State])));
  const shown = h("div", { "aria-live": "polite" });
  const load = async (): Promise<void> =>
    replace(shown, orderTable("orders", await orders(state.value ? { state: state.value as State } : {})));
  state.addEventListener("change", () => void load());
  await load();
  replace(main, h("h1", {}, t("orders")), ...field("order-state", t("state"), state),
    h("p", { class: "note" }, t("smsReceipt")), h("section", { class: "card" }, shown));
}
