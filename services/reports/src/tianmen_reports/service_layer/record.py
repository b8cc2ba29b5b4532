"""Appending a stream's new events at the request's time and correlation id."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tianmen_events import DomainEvent
from tianmen_runtime.logs import correlation_id
from tianmen_runtime.unit_of_work import UnitOfWork


def record(
    uow: UnitOfWork, stream: str, new: Sequence[DomainEvent], *, version: int, now: datetime
) -> None:
    uow.events.append(
        stream,
        list(new),
        expected_version=version,
        time=now,
        correlation_id=correlation_id.get() or stream,
    )
