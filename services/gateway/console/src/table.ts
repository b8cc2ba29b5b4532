// The tables and links the desk screens share: a caption, headed columns, "none" when empty.
import { h, type Child } from "./dom";
import { t, type Key } from "./i18n";

export function table(id: string, caption: string, columns: Key[], rows: HTMLTableRowElement[]): HTMLTableElement {
  const empty = h("tr", {}, h("td", { colspan: columns.length }, t("none")));
  return h("table", { id }, h("caption", {}, caption),
    h("thead", {}, h("tr", {}, ...columns.map((key) => h("th", { scope: "col" }, t(key))))),
    h("tbody", {}, ...(rows.length ? rows : [empty])));
}

export function machineLink(machineId: string | null | undefined): Child {
  return machineId ? h("a", { href: `#/machines/${encodeURIComponent(machineId)}` }, machineId) : "—";
}

export function enterpriseLink(enterpriseId: string): HTMLElement {
  return h("a", { href: `#/enterprises/${encodeURIComponent(enterpriseId)}` }, enterpriseId);
}

/** A labelled control (the label names it for screen readers and tests). */
export function field(id: string, label: string, control: HTMLElement): HTMLElement[] {
  control.id = id;
  return [h("label", { for: id }, label), control];
}

export function options(values: string[], all: string, name: (value: string) => string): HTMLOptionElement[] {
  return [h("option", { value: "" }, all), ...values.map((value) => h("option", { value }, name(value)))];
}
