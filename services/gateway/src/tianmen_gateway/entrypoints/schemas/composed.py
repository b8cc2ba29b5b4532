"""Views composed from several services' contracts."""

from __future__ import annotations

from urllib.parse import quote

from pydantic import BaseModel, Field
from tianmen_credit.entrypoints.schemas import ScoreView
from tianmen_registry.entrypoints.schemas import EnterpriseView
from tianmen_safety.entrypoints.schemas import LedgerView


class EnterpriseLinks(BaseModel):
    """Where the lists behind the summaries are, each paged."""

    violations: str
    deductions: str
    credit_history: str
    alerts: str
    machines: str

    @classmethod
    def of(cls, enterprise_id: str) -> EnterpriseLinks:
        here = f"/api/v1/enterprises/{quote(enterprise_id, safe='')}"
        query = f"?enterprise_id={quote(enterprise_id, safe='')}"
        return cls(
            violations=f"{here}/safety/violations",
            deductions=f"{here}/safety/deductions",
            credit_history=f"{here}/credit/history",
            alerts=f"/api/v1/alerts{query}",
            machines=f"/api/v1/machines{query}",
        )


class EnterpriseOverview(EnterpriseView):
    """The registry's enterprise with its safety and credit summaries; the same size whatever
    its history, which is behind `links`."""

    safety: LedgerView
    credit: ScoreView
    links: EnterpriseLinks


class Digests(BaseModel):
    """State digests of the services that derive their state from events."""

    telemetry: str = Field(description="`python -m tianmen_telemetry replay` prints the same")
    safety: str
    credit: str
