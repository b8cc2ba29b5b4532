import { api, everyPage, must, type Schemas } from "../api/client";
import { h, replace, when } from "../dom";
import { t, term } from "../i18n";
import { enterpriseLink, field, machineLink, options, table } from "../table";
import { tipActions, type Done } from "../tipActions";
import { tipPhotos } from "../tipPhotos";

type Tip = Schemas["StaffTipView"];
const STATUSES = ["submitted", "assigned", "verifying", "verified", "unfounded", "out_of_scope", "duplicate", "closed"] as const;
type Status = (typeof STATUSES)[number];

function tipsPage(status: Status | undefined, cursor: string | undefined): Promise<Schemas["Page_StaffTipView_"]> {
  return must(api.GET("/api/v1/tips", { params: { query: { status, cursor, limit: 500 } } }));
}

/** The machines whose tracks passed near the tip around its time, nearest first. */
async function evidence(tip: Tip, into: HTMLElement): Promise<void> {
  const nearby = await must(api.GET("/api/v1/tips/{tip_id}/evidence", { params: { path: { tip_id: tip.tip_id } } }));
  replace(into, h("p", { class: "note" }, t("evidenceMeans")), nearby.length === 0 ? h("p", {}, t("noEvidence")) :
    table(`evidence-${tip.tip_id}`, t("evidence"), ["machine", "enterprise", "closestM", "closestAt", "trackPoints", "status"],
      nearby.map((m) => h("tr", { "data-machine-id": m.machine_id },
        h("td", {}, machineLink(m.machine_id)), h("td", {}, enterpriseLink(m.enterprise_id)), h("td", {}, m.closest_m.toFixed(1)),
        h("td", {}, when(m.closest_at)), h("td", {}, m.points), h("td", {}, m.working ? t("working") : t("idle"))))));
}

function row(tip: Tip, done: Done): HTMLTableRowElement {
  const found = h("div", {}, t("loading"));
  const opened = h("details", {}, h("summary", {}, t("evidence")), found);
  opened.addEventListener("toggle", () => {
    if (opened.open && found.dataset.loaded !== "yes") {
      found.dataset.loaded = "yes";
      evidence(tip, found).catch((problem: Error) => replace(found, h("p", { class: "error" }, `${t("failed")}: ${problem.message}`)));
    }
  }, { passive: true });
  const where = `${tip.location.latitude.toFixed(5)}, ${tip.location.longitude.toFixed(5)}`;
  return h("tr", { "data-tip-id": tip.tip_id, "data-status": tip.status },
    h("td", {}, when(tip.submitted_at)), h("td", {}, term(tip.category)), h("td", {}, tip.description), h("td", {}, tipPhotos(tip)),
    h("td", {}, where, h("br"), h("span", { class: "note" }, tip.jurisdiction ?? "—")),
    h("td", { class: "state" }, term(tip.status)), h("td", {}, when(tip.due_at)), h("td", {}, opened),
    h("td", {}, tipActions(tip, done)));
}

/** Tips waiting for verification (or in a chosen state) with the telemetry evidence. */
export async function tipsView(main: HTMLElement): Promise<void> {
  replace(main, h("h1", {}, t("tipsQueue")), h("p", {}, t("loading")));
  const status = h("select", {}, ...options([...STATUSES], t("tipsWaiting"), term));
  const shown = h("div");
  const notice = h("p", { role: "status", class: "notice" });
  const load = async (): Promise<void> => {
    const chosen = (status.value || undefined) as Status | undefined;
    const tips = await everyPage((cursor) => tipsPage(chosen, cursor));
    const columns = ["submittedAt", "category", "description", "photos", "location", "status", "dueAt", "evidence", "act"] as const;
    replace(shown, table("tips", t("tipsQueue"), [...columns], tips.map((tip) => row(tip, done))));
  };
  const done: Done = (tip, step) => void step.then(async () => {
    replace(notice, `${tip.tip_id} ${t("stepRecorded")}`);
    await load();
  }, (problem: Error) => replace(notice, h("span", { class: "error" }, problem.message)));
  status.addEventListener("change", () => void load());
  await load();
  replace(main, h("h1", {}, t("tipsQueue")), ...field("tip-status", t("status"), status),
    h("p", { class: "note" }, t("tipStepsMean")), notice, h("section", { class: "card" }, shown));
}
