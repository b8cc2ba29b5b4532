"""Read domain topics from the beginning to their current end, decode only, with each record's
log time: the "recorded time" axis of an audit (when the system learnt of an event), as
opposed to the event's own time. Nothing is committed; no group is joined."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from kafka import TopicPartition
from tianmen_events import DomainEvent, EnvelopeError, EventMeta, decode

from tianmen_runtime.fetch import LogFetcher, Record

READ_POLL_RECORDS = 5000


@dataclass(frozen=True)
class Logged:
    event: DomainEvent
    meta: EventMeta
    recorded_at: datetime  # the record's log timestamp
    topic: str
    partition: int
    offset: int


@dataclass
class LogRead:
    entries: list[Logged]
    undecodable: int = 0


def read_log(bootstrap_servers: str, topics: tuple[str, ...], client_id: str = "audit") -> LogRead:
    """Every decodable event on `topics`, ordered by recorded time (then topic, partition,
    offset: a total order two reads of the same log agree on)."""
    consumer = LogFetcher(bootstrap_servers, client_id, READ_POLL_RECORDS)
    try:
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        end = consumer.end_offsets(partitions)
        consumer.assign_from_beginning(partitions)
        result = LogRead([])
        for record in _records(consumer, end):
            _add(result, record)
    finally:
        consumer.close()
    result.entries.sort(key=lambda e: (e.recorded_at, e.topic, e.partition, e.offset))
    return result


def _records(consumer: LogFetcher, end: dict[TopicPartition, int]) -> Iterator[Record]:
    remaining = {tp for tp, offset in end.items() if offset > 0}
    while remaining:
        for tp, records in consumer.poll(timeout_ms=500).items():
            yield from (r for r in records if r.offset < end[tp])
        remaining = {tp for tp in remaining if consumer.position(tp) < end[tp]}


def _add(result: LogRead, record: Record) -> None:
    try:
        event, meta = decode(record.headers, record.value)
    except EnvelopeError:
        result.undecodable += 1
        return
    stamp = datetime.fromtimestamp(record.timestamp / 1000, UTC)
    where = (record.topic, record.partition, record.offset)
    result.entries.append(Logged(event, meta, stamp, *where))
