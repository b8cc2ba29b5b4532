"""Hazards and orders: a hazard leads to a rectification order with a deadline or, when major
(or when the inspector says so), to a stop-use order; the deadline passing by event time makes
a rectification overdue; a passed re-inspection closes the order and lifts a stop-use.

What the registry and telemetry hear (`MachineStopUseOrdered` / `MachineStopUseLifted`) is
derived here from the docket's events, so replaying the docket derives the same.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from tianmen_events import DomainEvent, derive_id
from tianmen_events.codes import Severity
from tianmen_events.errors import Conflict, DomainError
from tianmen_events.safety import MachineStopUseLifted, MachineStopUseOrdered
from tianmen_events.safety.cases import docket_of
from tianmen_events.safety.orders import (
    HazardRecorded,
    OrderKind,
    RectificationOverdue,
    ReinspectionRecorded,
)


class OrderState(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    CLOSED = "closed"


OPEN_STATES = frozenset({OrderState.OPEN, OrderState.OVERDUE})


@dataclass(frozen=True)
class Hazard:
    """What the inspector files: the hazard, and the order asked for."""

    enterprise_id: str
    machine_id: str
    severity: Severity
    major: bool
    description: str
    found_at: datetime
    kind: OrderKind
    due_at: datetime | None = None
    jurisdiction: str | None = None
    campaign_id: str | None = None
    inspection_id: str | None = None


@dataclass(frozen=True)
class Order:
    order_id: str
    enterprise_id: str
    machine_id: str
    kind: OrderKind
    state: OrderState
    due_at: datetime | None

    @property
    def keys(self) -> dict[str, str]:
        ids = {"order_id": self.order_id, "enterprise_id": self.enterprise_id}
        return {"docket_id": docket_of(self.enterprise_id), **ids, "machine_id": self.machine_id}


def record_hazard(hazard: Hazard, *, actor: str) -> HazardRecorded:
    """The hazard and its order; the ids derive from the machine, when and what was found."""
    _check(hazard)
    found = hazard.found_at.isoformat()
    hazard_id = derive_id("hazard", hazard.machine_id, found, hazard.description.strip())
    return HazardRecorded(
        **vars(hazard),
        docket_id=docket_of(hazard.enterprise_id),
        order_id=derive_id("order", hazard_id),
        hazard_id=hazard_id,
        actor=actor,
    )


def _check(hazard: Hazard) -> None:
    if not hazard.description.strip():
        raise DomainError("describe the hazard", field="description")
    if hazard.kind is OrderKind.STOP_USE:
        if hazard.due_at is not None:
            raise DomainError("a stop-use order lasts until re-inspection", field="due_at")
        return
    if hazard.major:
        raise DomainError("a major hazard stops the machine: order stop_use", field="kind")
    if hazard.due_at is None or hazard.due_at <= hazard.found_at:
        raise DomainError("a rectification needs a deadline after the finding", field="due_at")


def opened(event: HazardRecorded) -> Order:
    return Order(
        event.order_id,
        event.enterprise_id,
        event.machine_id,
        event.kind,
        OrderState.OPEN,
        event.due_at,
    )


def overdue(order: Order, now: datetime) -> RectificationOverdue | None:
    """The overdue event a rectification is due by `now` (an event's time), at its deadline."""
    if order.state is not OrderState.OPEN or order.due_at is None or order.due_at > now:
        return None
    return RectificationOverdue(**order.keys, due_at=order.due_at)


def reinspect(order: Order, *, passed: bool, note: str, actor: str, at: datetime) -> DomainEvent:
    if order.state not in OPEN_STATES:
        raise Conflict(f"order {order.order_id} is closed")
    return ReinspectionRecorded(**order.keys, passed=passed, note=note, at=at, actor=actor)


def evolve(order: Order, event: DomainEvent) -> Order:
    if isinstance(event, RectificationOverdue) and order.state is OrderState.OPEN:
        return replace(order, state=OrderState.OVERDUE)
    if isinstance(event, ReinspectionRecorded) and event.passed and order.state in OPEN_STATES:
        return replace(order, state=OrderState.CLOSED)
    return order


def announced(before: Order | None, event: DomainEvent) -> list[DomainEvent]:
    """What the registry and telemetry hear of a docket event (on `safety.enterprise`)."""
    if isinstance(event, HazardRecorded) and before is None and event.kind is OrderKind.STOP_USE:
        reason = f"stop-use order: {event.description}"
        return [
            MachineStopUseOrdered(
                enterprise_id=event.enterprise_id,
                order_id=event.order_id,
                machine_id=event.machine_id,
                reason=reason[:500],
                ordered_at=event.found_at,
            )
        ]
    lifted = (
        before is not None and before.state in OPEN_STATES and before.kind is OrderKind.STOP_USE
    )
    if isinstance(event, ReinspectionRecorded) and event.passed and lifted:
        return [
            MachineStopUseLifted(
                enterprise_id=event.enterprise_id,
                order_id=event.order_id,
                machine_id=event.machine_id,
                reason="re-inspection passed",
                lifted_at=event.at,
            )
        ]
    return []
