"""HTTP: the desk's cases (filtered, paged), one case, and staff decisions on it. The actor is
the caller the gateway vouched for (`X-Tianmen-Identity`, verified at the service's edge)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from tianmen_events.errors import NotFound
from tianmen_runtime.commands import run_command
from tianmen_runtime.http import Clock, problems
from tianmen_runtime.identity import actor
from tianmen_runtime.pages import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor
from tianmen_runtime.service import Service

from tianmen_safety.adapters import case_queries
from tianmen_safety.entrypoints.schemas import CaseDecisionIn, CaseView, DecisionAccepted
from tianmen_safety.service_layer.commands import DecideCase, decide_case

CaseState = Literal["open", "acknowledged", "confirmed", "dismissed", "revoked"]
Decision = Annotated[
    Literal["acknowledge", "confirm", "dismiss", "escalate", "appeal"],
    Path(description="appeal: the enterprise's appeal is upheld, the violation revoked"),
]


def case_router(service: Service, clock: Clock) -> APIRouter:
    router = APIRouter(prefix="/cases")

    @router.get("", response_model=Page[CaseView], responses=problems(422))
    def list_cases(
        state: Annotated[list[CaseState] | None, Query()] = None,
        tier: Literal["township", "station", "city"] | None = None,
        jurisdiction: Annotated[list[str] | None, Query(max_length=200)] = None,
        enterprise_id: str | None = None,
        opened_before: datetime | None = None,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> dict[str, Any]:
        """Cases oldest first; `opened_before` keeps those at least that old."""
        where = case_queries.CaseFilter(
            tuple(state or ()), tier, tuple(jurisdiction or ()), enterprise_id, opened_before
        )
        key = decode_cursor(cursor, (str, str)) if cursor else None
        with service.engine.connect() as conn:
            items, after = case_queries.case_page(conn, where, key, limit)
        return {"items": items, "next_cursor": after}

    @router.get("/{case_id}", responses=problems(404))
    def get_case(case_id: str) -> CaseView:
        with service.engine.connect() as conn:
            found = case_queries.case_view(conn, case_id)
        if found is None:
            raise NotFound(f"no case {case_id}", field="case_id")
        return CaseView.model_validate(found)

    @router.post("/{case_id}/{decision}", status_code=202, responses=problems(404, 409, 422))
    def decide(case_id: str, decision: Decision, body: CaseDecisionIn) -> DecisionAccepted:
        who = actor.get()
        if who is None:  # the edge verified the caller before any route runs
            raise RuntimeError("a decision without a vouched caller")
        cmd = DecideCase(case_id, decision, who.subject, body.reason)
        recorded = run_command(service.engine, service.source, decide_case, cmd, clock())
        meta = recorded.meta
        return DecisionAccepted(
            case_id=case_id, event_id=meta.id, event_type=meta.type, actor=who.subject, at=meta.time
        )

    return router
