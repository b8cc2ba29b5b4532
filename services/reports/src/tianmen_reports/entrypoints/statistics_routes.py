"""GET /statistics: received, verified rate, major hazards, time to verify, rewards paid."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from tianmen_events.errors import DomainError
from tianmen_runtime.http import Clock
from tianmen_runtime.service import Service

from tianmen_reports.adapters.history import all_histories
from tianmen_reports.domain import statistics as stats
from tianmen_reports.entrypoints.schemas import Figures, FiguresView


def statistics_router(service: Service, clock: Clock) -> APIRouter:
    router = APIRouter()

    @router.get("/statistics", summary="Tip figures per period and jurisdiction, as of a date")
    def statistics(
        start: Annotated[datetime, Query(description="Tips submitted from (inclusive)")],
        end: Annotated[datetime, Query(description="… to (exclusive)")],
        jurisdiction: Annotated[str | None, Query(max_length=32)] = None,
        as_of: Annotated[datetime | None, Query(description="Default: now")] = None,
    ) -> FiguresView:
        moment = as_of or clock()
        if any(t.tzinfo is None for t in (start, end, moment)):
            raise DomainError("times need a UTC offset", field="start")
        query = stats.Query(start=start, end=end, as_of=moment, jurisdiction=jurisdiction)
        with service.engine.connect() as conn:
            tips = stats.tips_as_of(all_histories(conn, moment), moment)
        return FiguresView(
            start=start,
            end=end,
            as_of=moment,
            jurisdiction=jurisdiction,
            figures=Figures.model_validate(stats.figures(tips, query), from_attributes=True),
        )

    return router
