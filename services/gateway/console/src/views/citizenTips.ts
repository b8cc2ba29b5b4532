// What a citizen follows of their own tips: each tip's steps and their time, and their rewards
// (the center rewards a tip once it is verified: 一经核实即给予奖励).
import { api, ApiProblem, must, type Schemas } from "../api/client";
import { h, when } from "../dom";
import { t, term } from "../i18n";

type Receipt = Schemas["TipReceipt"];
type Progress = Schemas["Progress"];

function rewardLine(progress: Progress): HTMLElement | null {
  if (progress.reward === "none" || progress.reward_yuan == null) return null;
  const state = progress.reward === "paid" ? t("rewardPaid") : t("rewardGranted");
  return h("p", { class: "tip-reward" }, `${state}: ${progress.reward_yuan} ${t("yuan")}`);
}

function steps(progress: Progress): HTMLElement {
  return h("ol", { class: "tip-steps", "aria-label": t("tipSteps") },
    ...progress.steps.map((step) => h("li", { "data-status": step.status },
      h("span", { class: "step-status" }, term(step.status)), " · ", h("time", { datetime: step.at }, when(step.at)))));
}

/** A tip the citizen sent from this browser: its steps as reports recorded them. */
export async function followed(receipt: Receipt): Promise<HTMLElement> {
  try {
    const progress = await must(api.GET("/api/v1/tips/{tip_id}/progress", { params: { path: { tip_id: receipt.tip_id } } }));
    return h("li", { class: "tip", "data-tip-id": receipt.tip_id },
      `${t("tipId")} ${receipt.tip_id} · `, h("strong", { class: "tip-status" }, term(progress.status)),
      steps(progress), rewardLine(progress));
  } catch (problem) {
    if (!(problem instanceof ApiProblem && problem.status === 404)) throw problem;
    return h("li", { class: "tip", "data-tip-id": receipt.tip_id }, `${t("tipId")} ${receipt.tip_id} · ${when(receipt.submitted_at)} · `,
      h("strong", { class: "tip-status" }, term(receipt.status)), ` (${t("statusAsReceived")})`);
  }
}

/** The citizen's rewards for their verified tips, whichever device they sent them from. */
export async function rewards(): Promise<HTMLElement[]> {
  const mine = await must(api.GET("/api/v1/rewards"));
  if (mine.items.length === 0) return [h("p", { id: "no-rewards" }, t("noRewards"))];
  return [
    h("p", { id: "rewards-total" }, `${t("rewardsGranted")} ${mine.granted_yuan} ${t("yuan")} · ${t("rewardsPaid")} ${mine.paid_yuan} ${t("yuan")}`),
    h("ul", { id: "my-rewards" }, ...mine.items.map((r) => h("li", { "data-tip-id": r.tip_id, "data-state": r.state },
      `${t("tipId")} ${r.tip_id} · ${term(r.category)}${r.major_hazard ? ` · ${t("majorHazard")}` : ""} · `,
      h("strong", { class: "reward-amount" }, `${r.amount_yuan} ${t("yuan")}`), " · ",
      h("span", { class: "reward-state" }, r.state === "paid" ? t("rewardPaid") : t("rewardGranted")),
      ` · ${when(r.paid_at ?? r.granted_at)}`))),
  ];
}
