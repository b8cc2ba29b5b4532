"""What the store says about a stop-use order's texts, and recording one outcome once.

Any server process of any pod may record (decision 100); two that race append to the same
enterprise's stream, so the unique sequence turns the second into a `ConcurrencyConflict`:
it checks again and finds the first's record (`should_record`). Nothing is recorded twice.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, Engine, select
from tianmen_events import EventMeta
from tianmen_events.safety import MachineStopUseOrdered
from tianmen_events.telemetry import StopUseTextDelivered, TextOutcome
from tianmen_runtime.db import events
from tianmen_runtime.event_store import ConcurrencyConflict
from tianmen_runtime.unit_of_work import UnitOfWork, unit_of_work

from tianmen_telemetry.adapters.orm import machines
from tianmen_telemetry.jt808.pending import should_record

ATTEMPTS = 5


def outcomes(conn: Connection, enterprise_id: str, order_id: str) -> list[TextOutcome]:
    """The outcomes recorded for an order (an enterprise has few such records)."""
    query = select(events.c.payload).where(
        events.c.aggregate_id == enterprise_id, events.c.type == StopUseTextDelivered.type
    )
    found = (json.loads(payload) for payload in conn.execute(query).scalars())
    return [TextOutcome(p["outcome"]) for p in found if p["order_id"] == order_id]


def terminal_of(conn: Connection, machine_id: str) -> str | None:
    query = select(machines.c.terminal_id).where(machines.c.machine_id == machine_id)
    return conn.execute(query).scalar()


def append_if_new(uow: UnitOfWork, delivered: StopUseTextDelivered, cause: EventMeta) -> bool:
    """In `uow`: append `delivered` unless the order's records say not to (`should_record`)."""
    enterprise_id = delivered.enterprise_id
    recorded = outcomes(uow.conn, enterprise_id, delivered.order_id)
    if not should_record(recorded, delivered.outcome):
        return False
    uow.events.append(
        enterprise_id,
        [delivered],
        expected_version=uow.events.version(enterprise_id),
        time=delivered.sent_at,
        correlation_id=cause.correlation_id,
        causation_id=cause.id,
    )
    return True


class TextRecords:
    """The store as the feed and the unreached rule use it (each call its own transaction)."""

    def __init__(self, engine: Engine, source: str) -> None:
        self.engine, self.source = engine, source

    def outcomes(self, order: MachineStopUseOrdered) -> list[TextOutcome]:
        with self.engine.connect() as conn:
            return outcomes(conn, order.enterprise_id, order.order_id)

    def terminal_of(self, machine_id: str) -> str | None:
        with self.engine.connect() as conn:
            return terminal_of(conn, machine_id)

    def record(self, delivered: StopUseTextDelivered, cause: EventMeta) -> bool:
        """Whether `delivered` was recorded (False: the order's records already said enough)."""
        for attempt in range(ATTEMPTS):
            try:
                with unit_of_work(self.engine, self.source) as uow:
                    return append_if_new(uow, delivered, cause)
            except ConcurrencyConflict:
                if attempt == ATTEMPTS - 1:
                    raise
        return False  # pragma: no cover - the loop returns or raises


def delivered(
    order: MachineStopUseOrdered,
    terminal_id: str | None,
    text: str,
    outcome: TextOutcome,
    result: int | None,
    sent_at: datetime,
) -> StopUseTextDelivered:
    return StopUseTextDelivered(
        order_id=order.order_id,
        enterprise_id=order.enterprise_id,
        machine_id=order.machine_id,
        terminal_id=terminal_id,
        text=text,
        outcome=outcome,
        result=result,
        sent_at=sent_at,
    )
