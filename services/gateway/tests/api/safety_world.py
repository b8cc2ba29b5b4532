"""Safety's hazards and orders in the gateway's test world: an order per enterprise, in its
division, and what the matrix test sends to file a hazard or record a re-inspection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from tianmen_safety.entrypoints.schemas import OrderAccepted, OrderView

from .contracts import NIGHT

ORDER = OrderView(
    order_id="order-in",
    hazard_id="hz-in",
    enterprise_id="e-in",
    machine_id="m-in",
    jurisdiction=None,
    severity="grave",
    major=True,
    description="cracked weld at the jib root",
    kind="stop_use",
    state="open",
    found_at=NIGHT,
    due_at=None,
    closed_at=None,
    overdue=False,
    campaign_id="camp-1",
    inspection_id=None,
    ordered_by="township",
    closed_by=None,
)
ACCEPTED = OrderAccepted(
    order_id="order-in",
    event_id="ev-9",
    event_type="tianmen.safety.hazard_recorded",
    actor="township",
    at=NIGHT,
)
HAZARD = {
    "machine_id": "m-in",
    "severity": "grave",
    "major": True,
    "description": "cracked weld at the jib root",
    "found_at": NIGHT.isoformat(),
    "order": "stop_use",
}
OBJECTS = {"in": {"order_id": "order-in"}, "out": {"order_id": "order-far"}}
BODIES: dict[str, dict[str, Any]] = {
    "record_hazard": {
        "in": {**HAZARD, "enterprise_id": "e-in"},
        "out": {**HAZARD, "enterprise_id": "e-far"},
    },
    "record_reinspection": {"in": {"passed": True}},
}


def order(eid: str, divisions: dict[str, str]) -> dict[str, Any]:
    suffix = eid.removeprefix("e-")
    ids = {"order_id": f"order-{suffix}", "enterprise_id": eid, "machine_id": f"m-{suffix}"}
    return {**ORDER.model_dump(mode="json"), **ids, "jurisdiction": divisions[eid]}


def populate(fakes: Any, divisions: dict[str, str], page: Callable[..., Any]) -> None:
    orders = [order(e, divisions) for e in divisions]
    fakes.answer("safety", "GET", "/orders", page(orders))
    accepted = ACCEPTED.model_dump(mode="json")
    fakes.answer("safety", "POST", "/hazards", httpx.Response(202, json=accepted))
    for one in orders:
        path = f"/orders/{one['order_id']}"
        fakes.answer("safety", "GET", path, one)
        done = {**accepted, "order_id": one["order_id"]}
        fakes.answer("safety", "POST", f"{path}/reinspection", httpx.Response(202, json=done))
