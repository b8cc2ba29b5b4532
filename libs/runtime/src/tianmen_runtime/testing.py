"""Test scaffolding every service shares: Kafka-shaped records and the stored events.

The purity checks of every domain are one architecture test: `tests/architecture`.

Imported by tests only; nothing here runs in a service.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, select
from tianmen_events import DomainEvent, EventMeta, encode

from tianmen_runtime.db import events

if TYPE_CHECKING:
    import httpx  # the tests' client; the runtime itself does not depend on httpx


@dataclass(frozen=True)
class Record:
    """What `tianmen_runtime.consumer.apply_record` reads of a kafka ConsumerRecord."""

    topic: str
    partition: int
    offset: int
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]
    timestamp: int = -1  # the log's time, ms since the epoch (`recorded`); Kafka's -1: none


def record_of(
    event: DomainEvent,
    meta: EventMeta,
    *,
    offset: int = 0,
    partition: int = 0,
    timestamp: int = -1,
) -> Record:
    """The event as a relay publishes it, delivered at `partition`/`offset` (and recorded by
    the log at `timestamp`, if given)."""
    message = encode(event, meta)
    return Record(
        message.topic, partition, offset, message.key, message.value, message.headers, timestamp
    )


class TopicLog:
    """Delivers events as Kafka would: keyed to a partition, each at that partition's next
    offset (the runtime skips an offset it already applied, so tests must not reuse one)."""

    def __init__(self, partitions: int = 3) -> None:
        self.partitions = partitions
        self.next_offset: dict[int, int] = {}

    def record(self, event: DomainEvent, meta: EventMeta) -> Record:
        partition = zlib.crc32(meta.subject.encode()) % self.partitions
        offset = self.next_offset.get(partition, 0)
        self.next_offset[partition] = offset + 1
        return record_of(event, meta, offset=offset, partition=partition)


def stored_events(engine: Engine) -> list[tuple[str, int, str, str | None, str]]:
    """(aggregate id, sequence, type, causation id, time) of each stored event, in store order."""
    query = select(
        events.c.aggregate_id,
        events.c.sequence,
        events.c.type,
        events.c.causation_id,
        events.c.time,
    ).order_by(events.c.position)
    with engine.connect() as conn:
        return [
            (row.aggregate_id, row.sequence, row.type, row.causation_id, row.time)
            for row in conn.execute(query)
        ]


def every_page(client: httpx.Client, path: str, limit: int, **params: Any) -> list[Any]:
    """Every item of a paged list, following `next_cursor`; no page longer than `limit`."""
    items: list[Any] = []
    query: dict[str, Any] = {**params, "limit": limit}
    while True:
        response = client.get(path, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= limit
        items += page["items"]
        if page["next_cursor"] is None:
            return items
        query["cursor"] = page["next_cursor"]
