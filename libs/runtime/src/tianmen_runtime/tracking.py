"""The duplicate guard of a subscription, bounded: applied offsets plus a window of event ids.

Two kinds of duplicate reach a consumer. Kafka redelivers a record (same partition, same offset)
after a crash or rebalance before the offsets were committed: the highest offset applied per
partition, written in the projection's transaction, catches it however old it is. The outbox
relay republishes an event it could not mark (same event id, a new offset, the same partition,
since the key is the aggregate): the ids applied at the partition's latest `window` offsets catch
it, and older ids are pruned, so the table stays bounded. Why that is enough: docs/decisions.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple, Protocol

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from tianmen_runtime.among import among, ids_for, per_dialect
from tianmen_runtime.db import consumer_offsets, processed_events
from tianmen_runtime.driver_sql import execute_columns, planned_each_time
from tianmen_runtime.event_store import ConcurrencyConflict

Partition = tuple[str, int]


class Delivery(NamedTuple):
    """One consumed record, as the guard sees it (a tuple: one is built for every record)."""

    event_id: str
    topic: str
    partition: int
    offset: int

    @property
    def at(self) -> Partition:
        return (self.topic, self.partition)


class Guard(Protocol):
    """What one transaction knows has been applied (`DuplicateGuard`, or a replay's window)."""

    def is_duplicate(self, delivery: Delivery) -> bool: ...

    def passed(self, delivery: Delivery, *, applied: bool) -> None: ...

    def record(self) -> None: ...


GuardFactory = Callable[[Connection, str, Sequence[Delivery], int], Guard]
"""Makes a transaction's guard from (its connection, the consumer, its deliveries, window)."""


class DuplicateGuard:
    """What one transaction knows has been applied; `record` writes what it applied."""

    def __init__(
        self, conn: Connection, consumer: str, deliveries: Sequence[Delivery], window: int
    ) -> None:
        self.conn, self.consumer, self.window = conn, consumer, window
        self.read = _offsets(conn, consumer, {d.at for d in deliveries})
        self.high = dict(self.read)
        self.seen = _seen_ids(conn, consumer, [d.event_id for d in deliveries])
        self.applied: list[Delivery] = []

    def is_duplicate(self, delivery: Delivery) -> bool:
        if delivery.offset <= self.high.get(delivery.at, -1):
            return True
        return within_window(self.seen.get(delivery.event_id), delivery, self.window)

    def passed(self, delivery: Delivery, *, applied: bool) -> None:
        """`delivery` was handled (applied, or skipped as a duplicate)."""
        self.high[delivery.at] = max(delivery.offset, self.high.get(delivery.at, -1))
        if applied:
            self.seen[delivery.event_id] = (delivery.at, delivery.offset)
            self.applied.append(delivery)

    def record(self) -> None:
        """Write the applied ids and the new offsets; prune ids older than the window."""
        if self.applied:
            _insert_ids(self.conn, self.consumer, self.applied)
        for at, offset in self.high.items():
            if self.read.get(at) != offset:
                _write_offset(self.conn, self.consumer, at, offset, self.read.get(at))
                _prune(self.conn, self.consumer, at, offset - self.window)


Seen = tuple[Partition, int]
"""Where an applied event id was delivered: its partition and offset."""


def within_window(seen: Seen | None, delivery: Delivery, window: int) -> bool:
    """Whether the id applied at `seen` makes `delivery` a duplicate: on the same partition
    when at most `window` offsets before it (the rule does not depend on how records were
    batched, so a replay decides as the live consumer did); elsewhere always."""
    if seen is None:
        return False
    at, offset = seen
    return at != delivery.at or offset >= delivery.offset - window


# Built once: they run for every transaction of every consumer.
_OFFSETS = select(consumer_offsets).where(
    consumer_offsets.c.consumer == bindparam("consumer"),
    consumer_offsets.c.topic.in_(bindparam("topics", expanding=True)),
)
_SEEN = per_dialect(  # the ids as one parameter (`among`): an expanded IN was a new statement
    lambda d: select(  # for each count of ids, each id bound and, on PostgreSQL, planned
        processed_events.c.event_id,
        processed_events.c.topic,
        processed_events.c.partition,
        processed_events.c.offset,
    ).where(
        processed_events.c.consumer == bindparam("consumer"),
        among(processed_events.c.event_id, d),
    )
)
_INSERT_IDS = insert(processed_events)
_INSERT_OFFSET = insert(consumer_offsets)
_MOVE_OFFSET = (
    update(consumer_offsets)
    .where(
        consumer_offsets.c.consumer == bindparam("key_consumer"),
        consumer_offsets.c.topic == bindparam("key_topic"),
        consumer_offsets.c.partition == bindparam("key_partition"),
        consumer_offsets.c.offset == bindparam("read"),
    )
    .values(offset=bindparam("new_offset"))
)
_PRUNE = delete(processed_events).where(
    processed_events.c.consumer == bindparam("consumer"),
    processed_events.c.topic == bindparam("topic"),
    processed_events.c.partition == bindparam("partition"),
    processed_events.c.offset <= bindparam("below"),
)


def _offsets(
    conn: Connection, consumer: str, partitions: Iterable[Partition]
) -> dict[Partition, int]:
    wanted = set(partitions)
    if not wanted:
        return {}
    rows = conn.execute(_OFFSETS, {"consumer": consumer, "topics": sorted({t for t, _ in wanted})})
    found = {(row.topic, row.partition): row.offset for row in rows}
    return {at: offset for at, offset in found.items() if at in wanted}


def _seen_ids(conn: Connection, consumer: str, ids: list[str]) -> dict[str, Seen]:
    if not ids:
        return {}
    dialect = conn.dialect.name
    with planned_each_time(conn):  # the table grows from empty in a fresh store
        rows = conn.execute(_SEEN[dialect], {"consumer": consumer, **ids_for(dialect, ids)})
    return {row.event_id: ((row.topic, row.partition), row.offset) for row in rows}


def _insert_ids(conn: Connection, consumer: str, applied: Sequence[Delivery]) -> None:
    rows = [
        {
            "consumer": consumer,
            "event_id": d.event_id,
            "topic": d.topic,
            "partition": d.partition,
            "offset": d.offset,
        }
        for d in applied
    ]
    try:  # on PostgreSQL one statement, not one a row (`execute_columns`)
        execute_columns(conn, _INSERT_IDS, rows)
    except IntegrityError as exc:
        # Another member of the group applied one of them first (a rebalance mid-batch): roll
        # back and retry, which then finds those events processed.
        raise ConcurrencyConflict("events applied concurrently by another consumer") from exc


def _write_offset(
    conn: Connection, consumer: str, at: Partition, offset: int, read: int | None
) -> None:
    """Move the partition's offset from what this transaction read; another member that moved
    it meanwhile (a rebalance) makes this a conflict, and the retry sees its work."""
    topic, partition = at
    if read is None:
        row = {"consumer": consumer, "topic": topic, "partition": partition, "offset": offset}
        try:
            conn.execute(_INSERT_OFFSET, row)
        except IntegrityError as exc:
            raise ConcurrencyConflict(f"{topic}/{partition} applied concurrently") from exc
        return
    key = {"key_consumer": consumer, "key_topic": topic, "key_partition": partition}
    moved = conn.execute(_MOVE_OFFSET, {**key, "read": read, "new_offset": offset})
    if moved.rowcount != 1:
        raise ConcurrencyConflict(f"{topic}/{partition} applied concurrently by another consumer")


def _prune(conn: Connection, consumer: str, at: Partition, below: int) -> None:
    if below < 0:
        return
    topic, partition = at
    params = {"consumer": consumer, "topic": topic, "partition": partition, "below": below}
    conn.execute(_PRUNE, params)
