"""Alerts as they reach `telemetry.alert`, read from a position on the topic.

A position is the next offset of every partition, written `0:12,1:7,2:0` (ordered by
partition). Each alert streamed carries the position just after it as its SSE id, so a client
that reconnects with `Last-Event-ID` resumes exactly there: nothing missed, nothing twice,
whichever gateway replica it reaches and however long ago it left (the topic keeps alerts).
Without a position the feed starts at the end: only alerts raised from now on.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError
from tianmen_events import DomainEvent
from tianmen_events.envelope import EnvelopeError, decode
from tianmen_events.telemetry import AlertRaised
from tianmen_events.topics import TELEMETRY_ALERT

Position = dict[int, int]
POSITION = re.compile(r"^[0-9]+:[0-9]+(,[0-9]+:[0-9]+)*$")
POLL_MS = 500


class BadPosition(ValueError):
    """A Last-Event-ID this feed did not issue."""


class FeedUnavailable(Exception):
    """The broker cannot be reached (or the topic is missing)."""


def parse_position(text: str) -> Position:
    if not POSITION.fullmatch(text):
        raise BadPosition("Last-Event-ID is not a position this stream issued")
    pairs = (part.split(":") for part in text.split(","))
    return {int(partition): int(offset) for partition, offset in pairs}


def format_position(position: Mapping[int, int]) -> str:
    return ",".join(f"{p}:{o}" for p, o in sorted(position.items()))


@dataclass(frozen=True)
class Raised:
    alert: AlertRaised
    position: str
    """The position just after this alert: its SSE id."""


class Feed(Protocol):
    def read(self) -> list[Raised]: ...

    def close(self) -> None: ...


class AlertFeed:
    """One client's reader: no consumer group (nothing committed), blocking calls behind a lock
    so that `close` never runs while a poll still uses the client (kafka-python is not
    thread-safe); the stream runs `read` in a worker thread."""

    def __init__(self, bootstrap_servers: str, start: Position | None) -> None:
        self._lock = threading.Lock()
        try:
            self._consumer = KafkaConsumer(
                bootstrap_servers=bootstrap_servers,
                client_id="gateway-alert-stream",
                enable_auto_commit=False,
                isolation_level="read_committed",
                request_timeout_ms=5000,
            )
            self.position = self._assign(start)
        except KafkaError as exc:
            raise FeedUnavailable(str(exc)) from exc

    def _assign(self, start: Position | None) -> Position:
        partitions = self._consumer.partitions_for_topic(TELEMETRY_ALERT.name)
        if not partitions:
            raise FeedUnavailable(f"topic {TELEMETRY_ALERT.name} not found")
        assigned = [TopicPartition(TELEMETRY_ALERT.name, p) for p in sorted(partitions)]
        self._consumer.assign(assigned)
        ends = self._consumer.end_offsets(assigned)
        beginnings = self._consumer.beginning_offsets(assigned)
        position: Position = {}
        for tp in assigned:
            wanted = ends[tp] if start is None else start.get(tp.partition, beginnings[tp])
            position[tp.partition] = max(beginnings[tp], min(wanted, ends[tp]))
            self._consumer.seek(tp, position[tp.partition])
        return position

    def read(self) -> list[Raised]:
        """The alerts that arrived since the last read (waits up to half a second)."""
        with self._lock:
            batches = self._consumer.poll(timeout_ms=POLL_MS)
        raised: list[Raised] = []
        # Partition by partition, each in offset order: a position never moves backwards.
        for record in (r for tp in sorted(batches) for r in batches[tp]):
            self.position[record.partition] = record.offset + 1
            event = _alert(record.headers, record.value)
            if event is not None:
                raised.append(Raised(event, format_position(self.position)))
        return raised

    def close(self) -> None:
        with self._lock:
            self._consumer.close()


def _alert(headers: list[tuple[str, bytes]] | None, value: bytes | None) -> AlertRaised | None:
    """The alert in a record; anything else on the topic (a future type, a bad record) is
    skipped here: telemetry's consumers dead-letter it, the stream only shows alerts."""
    try:
        event: DomainEvent = decode(list(headers or []), value)[0]
    except EnvelopeError:
        return None
    return event if isinstance(event, AlertRaised) else None
