"""The order feed's loop: only orders and lifts are decoded, and a record whose handling failed
is read again, with every record polled after it (their positions had moved on)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from kafka import TopicPartition
from tianmen_events import DomainEvent, EventMeta, encode
from tianmen_events.safety import MachineStopUseOrdered
from tianmen_telemetry.jt808.feed import follow, wanted

from ..helpers import ENTERPRISE, MACHINE, meta_for
from .server_fixtures import NOW

PUBLISHED = datetime(2026, 11, 30, 12, tzinfo=UTC)


def record(order_id: str, offset: int, partition: int = 0) -> Any:
    order = MachineStopUseOrdered(
        order_id=order_id, enterprise_id=ENTERPRISE, machine_id=MACHINE, reason="r", ordered_at=NOW
    )
    message = encode(order, meta_for(order, f"e-{order_id}", NOW))
    return SimpleNamespace(
        topic="safety.enterprise",
        partition=partition,
        offset=offset,
        timestamp=int(PUBLISHED.timestamp() * 1000),
        headers=message.headers,
        value=message.value,
    )


class FakeConsumer:
    """Polls its batches once each, then nothing; remembers the seeks."""

    def __init__(self, *batches: dict[TopicPartition, list[Any]]) -> None:
        self.batches = list(batches)
        self.seeks: list[tuple[int, int]] = []

    def poll(self, timeout_ms: int) -> dict[TopicPartition, list[Any]]:
        return self.batches.pop(0) if self.batches else {}

    def seek(self, part: TopicPartition, offset: int) -> None:
        self.seeks.append((part.partition, offset))


def test_an_order_is_decoded_with_when_it_was_published() -> None:
    found = wanted(record("o-1", 0))
    assert found is not None
    event, meta, published = found
    assert meta.id == "e-o-1"
    assert isinstance(event, MachineStopUseOrdered) and event.order_id == "o-1"
    assert published == PUBLISHED


def test_other_events_on_the_topic_are_skipped_undecoded() -> None:
    other = record("o-1", 0)
    other.headers = [
        (k, b"tianmen.safety.points_deducted" if k == "ce_type" else v) for k, v in other.headers
    ]
    other.value = b"not even json"
    assert wanted(other) is None


def test_a_failed_order_is_read_again_with_the_records_polled_after_it() -> None:
    first, second = TopicPartition("safety.enterprise", 0), TopicPartition("safety.enterprise", 1)
    consumer = FakeConsumer({first: [record("a", 5), record("b", 6)], second: [record("c", 9, 1)]})
    stop, handled = threading.Event(), []

    def handle(event: DomainEvent, meta: EventMeta, published: datetime) -> None:
        assert isinstance(event, MachineStopUseOrdered)
        if event.order_id == "b":
            raise OSError("the store is down")
        handled.append(event.order_id)

    def between(read: bool) -> None:
        stop.set()

    follow(consumer, handle, stop, between)
    assert handled == ["a"]
    assert consumer.seeks == [(0, 6), (1, 9)]
