"""Shared fixtures: safety facts as the safety relay would publish them, and a credit service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from tianmen_credit.bootstrap import build
from tianmen_credit.config import Settings
from tianmen_events import DomainEvent, EventMeta, encode
from tianmen_runtime.consumer import apply_record
from tianmen_runtime.service import Service

SHANGHAI = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 10, 23, 40, tzinfo=SHANGHAI)
Deliver = Callable[..., str]


@dataclass(frozen=True)
class Record:
    """What apply_record reads of a kafka ConsumerRecord."""

    topic: str
    partition: int
    offset: int
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]


def record_of(event: DomainEvent, event_id: str, time: datetime, sequence: int = 1) -> Record:
    meta = EventMeta(
        id=event_id,
        source="/tianmen/safety",
        time=time,
        subject=event.subject_id(),
        sequence=sequence,
        correlation_id=f"corr-{event_id}",
    )
    message = encode(event, meta)
    return Record(message.topic, 0, sequence, message.key, message.value, message.headers)


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
    def apply(service: Service, event: DomainEvent, event_id: str, time: datetime = T0) -> str:
        assert service.projector is not None
        record = record_of(event, event_id, time)
        return apply_record(service.engine, service.projector, record)  # type: ignore[arg-type]

    return apply
