import { h, instant, replace } from "../dom";
import { endOfDay, isoDay, startOfDay } from "../download";
import { t, term } from "../i18n";
import { inspections, inspectionTable, KINDS, type Inspection, type Kind } from "../inspections";
import { field, options } from "../table";

const DAY_MS = 86_400_000;

function within(items: Inspection[], jurisdiction: string, first: string, last: string): Inspection[] {
  const from = first ? instant(startOfDay(first)) : -Infinity;
  const to = last ? instant(endOfDay(last)) : Infinity;
  return items.filter((item) => (!jurisdiction || item.jurisdiction === jurisdiction)
    && instant(item.inspected_at) >= from && instant(item.inspected_at) <= to);
}

/** Inspections in scope, filtered by jurisdiction, kind and period; each opens to its findings. */
export async function inspectionsView(main: HTMLElement): Promise<void> {
  replace(main, h("h1", {}, t("inspections")), h("p", {}, t("loading")));
  const kind = h("select", {}, ...options(KINDS, t("allKinds"), term));
  const where = h("select", {});
  const first = h("input", { type: "date", value: isoDay(new Date(Date.now() - 90 * DAY_MS)) });
  const last = h("input", { type: "date", value: isoDay() });
  const shown = h("div", { "aria-live": "polite" });
  let loaded: Inspection[] = [];
  const show = (): void => replace(shown, inspectionTable("inspections", within(loaded, where.value, first.value, last.value)));
  const load = async (): Promise<void> => {
    loaded = await inspections(kind.value ? { kind: kind.value as Kind } : {});
    const chosen = where.value;
    const places = [...new Set(loaded.map((item) => item.jurisdiction ?? "").filter(Boolean))].sort();
    replace(where, ...options(places, t("allJurisdictions"), (code) => code));
    where.value = places.includes(chosen) ? chosen : "";
    show();
  };
  const filter = h("form", { class: "card", "aria-label": t("filter"), onsubmit: (event: Event) => {
    event.preventDefault();
    void load();
  } }, ...field("inspection-kind", t("kind"), kind), ...field("inspection-jurisdiction", t("jurisdiction"), where),
  ...field("inspection-from", t("periodFrom"), first), ...field("inspection-to", t("periodTo"), last),
  h("button", { type: "submit" }, t("show")));
  await load();
  replace(main, h("h1", {}, t("inspections")), filter, h("section", { class: "card" }, shown));
}
