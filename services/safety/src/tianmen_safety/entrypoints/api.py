"""HTTP: an enterprise's ledger, its violations, deductions and restorations (paged), the
desk's cases and decisions (`case_routes`), the digest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import FastAPI, Query
from pydantic import BaseModel
from sqlalchemy import Connection
from tianmen_runtime.http import Clock, create_app, problems, wall_clock
from tianmen_runtime.pages import DEFAULT_LIMIT, Cursor, Key, Limit, Page, decode_cursor
from tianmen_runtime.service import Service

from tianmen_safety.adapters import case_queries, queries
from tianmen_safety.domain.rules import RULES, PointsRules
from tianmen_safety.entrypoints.campaign_routes import campaign_router
from tianmen_safety.entrypoints.case_routes import case_router
from tianmen_safety.entrypoints.inspection_routes import inspection_router
from tianmen_safety.entrypoints.list_routes import list_router
from tianmen_safety.entrypoints.order_routes import order_router
from tianmen_safety.entrypoints.schemas import (
    DeductionView,
    LedgerView,
    RestorationView,
    ViolationView,
)

CycleYear = Annotated[
    int | None, Query(ge=2000, le=9999, description="Cycle year (default: the current one)")
]
PageQuery = Callable[[Connection, str, int, Key | None, int], tuple[list[Any], str | None]]
SEQUENCED = (int, str)
"""The key of both lists: (sequence, id)."""


def build_api(
    service: Service, *, rules: PointsRules = RULES, clock: Clock = wall_clock
) -> FastAPI:
    app = create_app("Tianmen safety", ready=service.ready.is_set, digest=service.digest)

    def cycle(conn: Connection, enterprise_id: str, year: int | None) -> int:
        """`year`, else the current cycle (or a later one on record)."""
        if year is not None:
            return year
        return max(rules.cycle_year(clock()), queries.latest_cycle_year(conn, enterprise_id) or 0)

    @app.get("/enterprises/{enterprise_id}/ledger", responses=problems(422))
    def get_ledger(enterprise_id: str, year: CycleYear = None) -> LedgerView:
        """The balance and flags of one cycle, with how many violations and deductions it has."""
        with service.engine.connect() as conn:
            view = queries.ledger_view(conn, enterprise_id, cycle(conn, enterprise_id, year), rules)
        return LedgerView.model_validate(view)

    def paged(what: str, item: type[BaseModel], fetch: PageQuery) -> None:
        @app.get(
            f"/enterprises/{{enterprise_id}}/{what}",
            name=f"list_{what}",
            response_model=Page[item],  # type: ignore[valid-type]
            responses=problems(422),
            description=f"The cycle's {what} in recorded order, a page at a time.",
        )
        def list_items(
            enterprise_id: str,
            year: CycleYear = None,
            cursor: Cursor = None,
            limit: Limit = DEFAULT_LIMIT,
        ) -> dict[str, Any]:
            key = decode_cursor(cursor, SEQUENCED) if cursor else None
            with service.engine.connect() as conn:
                chosen = cycle(conn, enterprise_id, year)
                items, after = fetch(conn, enterprise_id, chosen, key, limit)
            return {"items": items, "next_cursor": after}

    paged("violations", ViolationView, queries.violation_page)
    paged("deductions", DeductionView, queries.deduction_page)
    paged("restorations", RestorationView, case_queries.restoration_page)
    app.include_router(case_router(service, clock))
    app.include_router(list_router(service, clock))
    app.include_router(order_router(service, clock))
    app.include_router(inspection_router(service, clock))
    app.include_router(campaign_router(service, clock))
    return app
