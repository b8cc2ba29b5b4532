// A tip's next step for the staff who verify it: take it, start on site, then find it true or
// dismiss it. The gateway records the signed-in user as the one who acted.
import { api, must, type Schemas } from "./api/client";
import { h } from "./dom";
import { t, term } from "./i18n";
import { claims } from "./session";

type Tip = Schemas["StaffTipView"];
type Outcome = Schemas["DismissTipIn"]["outcome"];
const OUTCOMES: Outcome[] = ["unfounded", "out_of_scope"];
export type Done = (tip: Tip, step: Promise<unknown>) => void;

function button(label: string, act: () => void): HTMLButtonElement {
  return h("button", { type: "button", onclick: act }, label);
}

function decide(tip: Tip, done: Done): HTMLElement {
  const id = (name: string): string => `tip-${name}-${tip.tip_id}`;
  const enterprise = h("input", { id: id("enterprise"), maxlength: 64, required: true });
  const machine = h("input", { id: id("machine"), maxlength: 64 });
  const major = h("input", { id: id("major"), type: "checkbox" });
  const outcome = h("select", { id: id("outcome") }, ...OUTCOMES.map((o) => h("option", { value: o }, term(o))));
  const reason = h("input", { id: id("reason"), maxlength: 500 });
  const path = { params: { path: { tip_id: tip.tip_id } } };
  const verify = (): void => done(tip, must(api.POST("/api/v1/tips/{tip_id}/verify", { ...path,
    body: { enterprise_id: enterprise.value.trim(), machine_id: machine.value.trim() || null, major_hazard: major.checked } })));
  const dismiss = (): void => done(tip, must(api.POST("/api/v1/tips/{tip_id}/dismiss", { ...path,
    body: { outcome: outcome.value as Outcome, reason: reason.value.trim() } })));
  return h("div", { class: "actions" },
    h("label", { for: id("enterprise") }, t("enterpriseId")), enterprise,
    h("label", { for: id("machine") }, t("machineIdOptional")), machine,
    h("label", { for: id("major") }, major, ` ${t("majorHazard")}`), button(t("verifyTrue"), verify),
    h("label", { for: id("outcome") }, t("outcome")), outcome,
    h("label", { for: id("reason") }, t("dismissReason")), reason, button(t("dismiss"), dismiss));
}

/** The step this tip can take now, for staff who may act (inspectors and auditors only read). */
export function tipActions(tip: Tip, done: Done): HTMLElement | null {
  if (!(claims()?.tianmen_role ?? "").endsWith("_staff")) return null;
  const path = { params: { path: { tip_id: tip.tip_id } } };
  if (tip.status === "submitted") {
    return button(t("takeTip"), () => done(tip, must(api.POST("/api/v1/tips/{tip_id}/assign", path))));
  }
  if (tip.status === "assigned") {
    return button(t("startVerifying"), () => done(tip, must(api.POST("/api/v1/tips/{tip_id}/start", path))));
  }
  return tip.status === "verifying" ? decide(tip, done) : null;
}
