"""HTTP: file a hazard (and its order), record a re-inspection, read orders (filtered, paged).
The actor is the caller the gateway vouched for (`X-Tianmen-Identity`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from tianmen_events.codes import Severity
from tianmen_events.errors import NotFound
from tianmen_events.safety.orders import OrderKind
from tianmen_runtime.commands import run_command
from tianmen_runtime.event_store import Recorded
from tianmen_runtime.http import Clock, problems
from tianmen_runtime.identity import actor
from tianmen_runtime.pages import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor
from tianmen_runtime.service import Service

from tianmen_safety.adapters import order_rows
from tianmen_safety.domain.orders import Hazard
from tianmen_safety.entrypoints.order_schemas import (
    HazardIn,
    OrderAccepted,
    OrderView,
    ReinspectionIn,
)
from tianmen_safety.service_layer.orders import FileHazard, Reinspect, file_hazard, reinspect

OrderState = Literal["open", "overdue", "closed"]
Many = Annotated[list[str] | None, Query(max_length=200)]


def who() -> str:
    found = actor.get()
    if found is None:  # the edge verified the caller before any route runs
        raise RuntimeError("a command without a vouched caller")
    return found.subject


def accepted(order_id: str, recorded: Recorded, by: str) -> OrderAccepted:
    meta = recorded.meta
    return OrderAccepted(
        order_id=order_id, event_id=meta.id, event_type=meta.type, actor=by, at=meta.time
    )


def order_router(service: Service, clock: Clock) -> APIRouter:
    router = APIRouter()

    @router.post("/hazards", status_code=202, responses=problems(409, 422))
    def record_hazard(body: HazardIn) -> OrderAccepted:
        """A hazard found on a machine and the order it leads to (a major one: stop-use)."""
        fields = body.model_dump(exclude={"order", "severity", "machine_kind"})
        hazard = Hazard(**fields, severity=Severity(body.severity), kind=OrderKind(body.order))
        cmd = FileHazard(hazard, who(), body.machine_kind)
        recorded = run_command(service.engine, service.source, file_hazard, cmd, clock())
        return accepted(recorded.event.order_id, recorded, cmd.actor)  # type: ignore[attr-defined]

    @router.post(
        "/orders/{order_id}/reinspection", status_code=202, responses=problems(404, 409, 422)
    )
    def record_reinspection(order_id: str, body: ReinspectionIn) -> OrderAccepted:
        """Passed: the order is closed (a stop-use lifted); failed: it stays open."""
        cmd = Reinspect(order_id, body.passed, body.note, who())
        recorded = run_command(service.engine, service.source, reinspect, cmd, clock())
        return accepted(order_id, recorded, cmd.actor)

    @router.get("/orders", response_model=Page[OrderView], responses=problems(422))
    def list_orders(
        state: Annotated[list[OrderState] | None, Query()] = None,
        jurisdiction: Many = None,
        enterprise_id: Many = None,
        campaign_id: str | None = None,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> dict[str, Any]:
        """Orders by when the hazard was found, oldest first."""
        asked = {"state": state, "jurisdiction": jurisdiction, "enterprise_id": enterprise_id}
        filters: dict[str, Any] = {k: tuple(v) for k, v in asked.items() if v}
        if campaign_id:
            filters["campaign_id"] = campaign_id
        key = decode_cursor(cursor, (str, str)) if cursor else None
        with service.engine.connect() as conn:
            items, after = order_rows.order_page(conn, filters, key, limit)
        return {"items": items, "next_cursor": after}

    @router.get("/orders/{order_id}", responses=problems(404))
    def get_order(order_id: str) -> OrderView:
        with service.engine.connect() as conn:
            found = order_rows.order_view(conn, order_id)
        if found is None:
            raise NotFound(f"no order {order_id}", field="order_id")
        return OrderView.model_validate(found)

    return router
