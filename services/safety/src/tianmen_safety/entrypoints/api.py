"""HTTP queries: an enterprise's safety-points ledger and the state digest."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query
from tianmen_runtime.http import Clock, create_app, wall_clock
from tianmen_runtime.service import Service

from tianmen_safety.adapters import queries
from tianmen_safety.domain.rules import RULES, PointsRules
from tianmen_safety.entrypoints.schemas import LedgerView


def build_api(
    service: Service, *, rules: PointsRules = RULES, clock: Clock = wall_clock
) -> FastAPI:
    app = create_app("Tianmen safety", ready=service.ready.is_set, digest=service.digest)

    @app.get("/enterprises/{enterprise_id}/ledger", response_model=LedgerView)
    def get_ledger(
        enterprise_id: str,
        year: Annotated[int | None, Query(ge=2000, le=9999, description="cycle year")] = None,
    ) -> LedgerView:
        """The ledger of one cycle: `year`, else the current one (or a later one on record)."""
        with service.engine.connect() as conn:
            if year is None:
                latest = queries.latest_cycle_year(conn, enterprise_id) or 0
                year = max(rules.cycle_year(clock()), latest)
            view = queries.ledger_view(conn, enterprise_id, year, rules)
        return LedgerView.model_validate(view)

    return app
