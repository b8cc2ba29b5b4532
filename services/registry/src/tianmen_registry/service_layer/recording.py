"""Appending a decision: the events, their outbox rows and the projections, one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from tianmen_events import DomainEvent
from tianmen_runtime.event_store import Recorded
from tianmen_runtime.logs import correlation_id
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_registry.adapters.projections import PROJECTIONS


def events_of(history: Sequence[Recorded]) -> list[DomainEvent]:
    return [recorded.event for recorded in history]


def version_of(history: Sequence[Recorded]) -> int:
    return history[-1].meta.sequence if history else 0


def record(
    uow: UnitOfWork, aggregate_id: str, new: Sequence[DomainEvent], expected: int, now: datetime
) -> None:
    """Append the events (and their outbox rows) and update the projections, one transaction."""
    recorded = uow.events.append(
        aggregate_id,
        new,
        expected_version=expected,
        time=now,
        correlation_id=correlation_id.get() or str(uuid.uuid4()),
    )
    for item in recorded:
        PROJECTIONS.handle(item.event, item.meta, uow)
