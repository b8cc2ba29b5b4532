"""Shared fixtures: safety facts as the safety relay would publish them, and a credit service."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from tianmen_credit.bootstrap import build
from tianmen_credit.config import Settings
from tianmen_events import DomainEvent, EventMeta
from tianmen_runtime.projection import apply_batch, apply_record
from tianmen_runtime.service import Service
from tianmen_runtime.testing import TopicLog

SHANGHAI = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 10, 23, 40, tzinfo=SHANGHAI)
Deliver = Callable[..., str]


def fact_meta(event: DomainEvent, event_id: str, time: datetime, sequence: int = 1) -> EventMeta:
    return EventMeta(
        id=event_id,
        source="/tianmen/safety",
        time=time,
        subject=event.subject_id(),
        sequence=sequence,
        correlation_id=f"corr-{event_id}",
    )


@pytest.fixture
def service_factory(tmp_path: Path) -> Callable[[str], Service]:
    def make(name: str = "credit") -> Service:
        return build(Settings(database_url=f"sqlite:///{tmp_path / name}.db"))

    return make


@pytest.fixture
def service(service_factory: Callable[[str], Service]) -> Service:
    return service_factory("credit")


@pytest.fixture
def deliver() -> Deliver:
    logs: dict[int, TopicLog] = {}  # per service: each store has its own consumer position

    def apply(service: Service, event: DomainEvent, event_id: str, time: datetime = T0) -> str:
        assert service.subscription is not None
        log = logs.setdefault(id(service), TopicLog())
        record = log.record(event, fact_meta(event, event_id, time))
        return apply_record(service.engine, service.subscription, record)

    return apply


@pytest.fixture
def deliver_batch() -> Callable[..., list[str]]:
    """Apply (event, event id) pairs in one transaction, as one polled batch."""

    def apply(service: Service, items: Sequence[tuple[object, ...]]) -> list[str]:
        """Each item is (event, event id) at T0, or (event, event id, event time)."""
        assert service.subscription is not None
        log = TopicLog(partitions=1)
        records = [log.record(i[0], fact_meta(i[0], i[1], (*i, T0)[2])) for i in items]  # type: ignore[arg-type]
        return [str(o) for o in apply_batch(service.engine, service.subscription, records)]

    return apply
