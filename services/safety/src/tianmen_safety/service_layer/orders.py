"""Hazards and orders, both sides: staff commands append to the enterprise's docket (decided on
the order as the docket has it, in-flight events included); the consumer, when the docket's
events come back, moves the order rows and announces stop-use orders on `safety.enterprise`;
each batch's latest event time makes rectifications overdue (like escalation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tianmen_events import DomainEvent, EventMeta
from tianmen_events.errors import Conflict, NotFound
from tianmen_events.registry.machines import MachineKind
from tianmen_events.safety.orders import HazardRecorded, RectificationOverdue
from tianmen_runtime.event_store import Recorded
from tianmen_runtime.logs import correlation_id
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_safety.adapters import case_rows, order_rows
from tianmen_safety.adapters.positions import docket_version
from tianmen_safety.domain import orders
from tianmen_safety.domain.orders import Hazard
from tianmen_safety.service_layer import campaign_scope, on_time

OVERDUE_PER_TICK = 100
"""A bound on the work one batch's tick does; the rest turn overdue at the next event."""


@dataclass(frozen=True)
class FileHazard:
    hazard: Hazard
    actor: str
    machine_kind: MachineKind | None = None
    """The machine's kind, as the inspector names it: checked against a campaign's scope."""


@dataclass(frozen=True)
class Reinspect:
    order_id: str
    passed: bool
    note: str
    actor: str


def file_hazard(cmd: FileHazard, uow: UnitOfWork, now: datetime) -> Recorded:
    event = orders.record_hazard(cmd.hazard, actor=cmd.actor)
    campaign_scope.check(uow.conn, event, cmd.machine_kind)
    if order_rows.load(uow.conn, event.order_id) is not None or any(
        isinstance(e, HazardRecorded) and e.order_id == event.order_id
        for e in case_rows.in_flight(uow.conn, event.docket_id)
    ):
        raise Conflict(f"hazard {event.hazard_id} is already on file")
    return to_docket(uow, event, now, event.order_id)


def reinspect(cmd: Reinspect, uow: UnitOfWork, now: datetime) -> Recorded:
    row = order_rows.load(uow.conn, cmd.order_id)
    if row is None:
        raise NotFound(f"no order {cmd.order_id}", field="order_id")
    order = order_rows.current(uow.conn, row)
    event = orders.reinspect(order, passed=cmd.passed, note=cmd.note, actor=cmd.actor, at=now)
    return to_docket(uow, event, now, cmd.order_id)


def to_docket(uow: UnitOfWork, event: DomainEvent, now: datetime, subject: str) -> Recorded:
    docket_id: str = event.docket_id  # type: ignore[attr-defined]
    [recorded] = uow.events.append(
        docket_id,
        [event],
        expected_version=docket_version(uow, docket_id),
        time=now,
        correlation_id=correlation_id.get() or subject,
    )
    return recorded


def apply_order_event(event: DomainEvent, meta: EventMeta, uow: UnitOfWork) -> None:
    """A docket event about an order, back from the topic: its row moves, and a stop-use
    ordered or lifted is announced to the registry and telemetry."""
    before = order_rows.project(uow.conn, event)
    announced = orders.announced(before, event)
    if announced:
        enterprise_id = event.enterprise_id  # type: ignore[attr-defined]
        version = uow.events.version(enterprise_id)
        uow.events.append_caused_by(meta, enterprise_id, announced, expected_version=version)


def tick_overdue(uow: UnitOfWork, now: datetime) -> None:
    """Rectifications whose deadline passed by `now` become overdue (on the docket, dated at
    the deadline), once their docket has caught up to it."""
    for row in order_rows.due(uow.conn, now, OVERDUE_PER_TICK):
        late: RectificationOverdue | None = orders.overdue(order_rows.current(uow.conn, row), now)
        if late is not None and on_time.caught_up(uow, late.docket_id, late.due_at):
            on_time.to_docket(uow, late, late.due_at, "overdue", late.order_id)
