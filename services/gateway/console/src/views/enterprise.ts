import { api, ApiProblem, must, type Schemas } from "../api/client";
import { machines } from "../data";
import { h, replace, when } from "../dom";
import { t, term } from "../i18n";
import { applicationTable, openApplications } from "./applications";
import { explanation } from "./credit";

type Overview = Schemas["EnterpriseOverview"];
const REFRESH_MS = 5000;

function fact(label: string, value: string | number, id?: string): HTMLElement[] {
  return [h("dt", {}, label), h("dd", { id }, value)];
}

function flag(on: boolean): string {
  return on ? t("yes") : t("no");
}

function standing(file: Overview): HTMLElement {
  const latest = file.credit.latest_change;
  return h("div", { class: "cards" },
    h("section", { class: "card", "aria-labelledby": "points-h" },
      h("h2", { id: "points-h" }, t("safetyPoints")),
      h("p", { class: "figure", id: "safety-balance" }, `${file.safety.balance} / ${file.safety.initial_points}`),
      h("dl", {}, ...fact(t("keySupervision"), flag(file.safety.key_supervision)),
        ...fact(t("biddingSuspended"), flag(file.safety.bidding_suspended))),
    ),
    h("section", { class: "card", "aria-labelledby": "credit-h" },
      h("h2", { id: "credit-h" }, t("creditScore")),
      h("p", { class: "figure", id: "credit-score" }, file.credit.score),
      h("dl", {}, ...fact(t("creditGrade"), file.credit.grade, "credit-grade"),
        ...fact(t("procurementRestricted"), flag(file.credit.procurement_restricted))),
      latest ? h("div", {}, h("h3", {}, t("why")), h("ul", { id: "credit-reasons" },
        ...latest.reasons.map((reason) => h("li", {}, reason.description)))) : null,
    ),
  );
}

async function deductions(id: string): Promise<HTMLElement> {
  const page = await must(api.GET("/api/v1/enterprises/{enterprise_id}/safety/deductions", {
    params: { path: { enterprise_id: id }, query: { limit: 50 } },
  }));
  return h("table", { id: "ledger" }, h("caption", {}, t("deductions")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("time")), h("th", { scope: "col" }, t("points")),
      h("th", { scope: "col" }, t("balanceAfter")))),
    h("tbody", {}, ...page.items.map((d) => h("tr", {}, h("td", {}, when(d.time)), h("td", {}, -d.points),
      h("td", {}, d.balance_after)))));
}

async function fleet(id: string): Promise<HTMLElement> {
  const items = await machines(id);
  return h("table", { id: "fleet" }, h("caption", {}, t("machines")),
    h("thead", {}, h("tr", {}, ...["machine", "kind", "brandModel", "status", "nextReview"].map(
      (key) => h("th", { scope: "col" }, t(key as "kind"))))),
    h("tbody", {}, ...items.map((m) => h("tr", {},
      h("td", {}, h("a", { href: `#/machines/${encodeURIComponent(m.machine_id)}` }, m.machine_id)),
      h("td", {}, term(m.kind)), h("td", {}, `${m.brand} ${m.model}`), h("td", {}, term(m.status)),
      h("td", {}, when(m.next_review_due))))));
}

/** The parts of the file read once (the standing above them refreshes). */
async function details(id: string): Promise<HTMLElement[]> {
  const [why, ledger, machinesTable, applications] = await Promise.all([
    explanation(id), deductions(id), fleet(id), openApplications([id]),
  ]);
  return [why, h("section", { class: "card" }, ledger), h("section", { class: "card" }, machinesTable),
    h("section", { class: "card" }, applicationTable(applications))];
}

/** An enterprise's file: who it is, its safety points and ledger, its credit and why, its
 * machines and open applications. */
export function enterpriseView(main: HTMLElement, id: string): () => void {
  const now = h("div");
  const rest = h("div");
  let drawn = false;
  const show = async (): Promise<void> => {
    try {
      const file = await must(api.GET("/api/v1/enterprises/{enterprise_id}", { params: { path: { enterprise_id: id } } }));
      if (!drawn) replace(main, h("h1", {}, file.name), h("dl", { class: "facts" }, ...fact(t("uscc"), file.uscc)), now, rest);
      replace(now, standing(file));
      if (!drawn) {
        drawn = true;
        details(id).then((parts) => replace(rest, ...parts),
          (problem: Error) => replace(rest, h("p", { role: "alert", class: "error" }, `${t("failed")}: ${problem.message}`)));
      }
    } catch (problem) {
      window.clearInterval(timer);
      const status = problem instanceof ApiProblem ? problem.status : 0;
      replace(main, h("h1", {}, status === 403 ? t("forbidden") : t("notFound")),
        h("p", { role: "alert", class: "error", id: "refusal" }, `${status || ""} ${(problem as Error).message}`));
    }
  };
  const timer = window.setInterval(() => void show(), REFRESH_MS);
  void show();
  return () => window.clearInterval(timer);
}
