"""Replay: read the consumed topics from offset 0 into a fresh store, with the live handlers.

Nothing is published and no group offsets are committed: the replayed store is the auditor's to
inspect. With `as_of`, events later than that time are left out ("what did we know on D?").
The records are applied in the order the log recorded them, whatever order the consumer fetched
them in (`InRecordedOrder`: a partition's records wait until every other partition not yet
read to its end has shown what comes next, docs/decisions.md 104), as live read them: a topic
fetched ahead must not carry the handlers' clock past what another topic, recorded earlier,
still has to say. What may go is applied in transactions of up to `REPLAY_POLL_RECORDS`: a
replay has the store to itself, so bigger transactions only save commits and reads. The cyclic
garbage collector waits while a transaction is applied: its passes over the objects a batch
keeps alive cost a fifth of a replay's CPU, and what a batch leaves is freed by reference counts
(or by the collector's next pass, between polls). What survives a poll (the replayed state,
which grows with the log) is frozen out of the collector's passes until the replay ends
(`_set_aside`, docs/decisions.md 93). While it runs the store loads in bulk
(`bulk_load`: no sync to disk), and a fresh store's duplicate guard is kept in memory
(`replay_window`) and written once at the end, before the collector gets the replayed state back
(after, the allocations of its tens of thousands of rows set off full passes over all of it).
The indexes only the API reads (`Subscription.built_after_replay`) are dropped for a fresh
store's load and built once at its end, so its schema is then a migrated one's
(docs/decisions.md 94). What the handlers derive goes to the event log but not to the outbox:
it was published when first decided (the same derived ids), and a
replayed store taken live must not publish its whole history again.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from kafka import TopicPartition
from sqlalchemy import Engine, Index, select

from tianmen_runtime.bulk_load import bulk_load
from tianmen_runtime.db import consumer_offsets
from tianmen_runtime.fetch import Fetcher, LogFetcher, Pausing, Record
from tianmen_runtime.projection import LIVE, Applying, Poison, Subscription, apply_batch
from tianmen_runtime.recorded_order import InRecordedOrder
from tianmen_runtime.replay_window import ReplayWindow

log = logging.getLogger(__name__)
REPLAY_POLL_RECORDS = 2000
HELD_RECORDS = 2 * REPLAY_POLL_RECORDS
"""Records of one partition waiting for the others' (`InRecordedOrder`) at which it is paused."""


@dataclass
class ReplayResult:
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: str, times: int = 1) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + times


def replay(
    engine: Engine,
    subscription: Subscription,
    bootstrap_servers: str,
    as_of: datetime | None = None,
) -> ReplayResult:
    consumer = LogFetcher(bootstrap_servers, f"{subscription.name}-replay", REPLAY_POLL_RECORDS)
    try:
        partitions = _partitions(consumer, subscription.topics)
        end = consumer.end_offsets(partitions)
        consumer.assign_from_beginning(partitions)
        with bulk_load(engine):
            return _drain(consumer, engine, subscription, end, as_of)
    finally:
        consumer.close()


def _partitions(consumer: LogFetcher, topics: tuple[str, ...]) -> list[TopicPartition]:
    result = []
    for topic in topics:
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            raise LookupError(f"topic {topic} does not exist: nothing to replay from")
        result += [TopicPartition(topic, partition) for partition in sorted(partitions)]
    return result


def _drain(
    consumer: Fetcher,
    engine: Engine,
    subscription: Subscription,
    end: dict[TopicPartition, int],
    as_of: datetime | None,
) -> ReplayResult:
    """The partitions' records applied in recorded order (`InRecordedOrder`, decision 104), in
    transactions of a poll's records (the last may hold fewer): what the merge lets go after a
    poll may be a few records, while a partition it waits for is fetched, and a transaction a
    few records long would cost its commit and reads ahead for them alone."""
    result = ReplayResult()
    window = _window_of(engine, subscription)
    remaining = {tp for tp, offset in end.items() if offset > 0}
    merge = InRecordedOrder[Record](sorted(remaining), subscription.waits_for)
    paused: set[TopicPartition] = set()
    ready: list[Record] = []  # let go, applied in transactions of a full poll
    later = subscription.built_after_replay if window is not None else ()
    with _built_at_the_end(engine, later), _set_aside() as set_aside:
        while not merge.done():
            for tp, records in consumer.poll(timeout_ms=500).items():
                if tp in remaining:
                    merge.add(tp, [r for r in records if r.offset < end[tp]])
            for tp in list(remaining):
                if consumer.position(tp) >= end[tp]:
                    remaining.discard(tp)
                    merge.ended(tp)
            ready += merge.ready()
            _pace(consumer, merge, remaining, paused)
            while len(ready) >= REPLAY_POLL_RECORDS or (ready and merge.done()):
                batch = ready[:REPLAY_POLL_RECORDS]
                del ready[:REPLAY_POLL_RECORDS]
                _apply(engine, subscription, batch, as_of, result, _applying(window))
            set_aside()
        if window is not None:
            with engine.begin() as conn:
                window.write(conn)
    return result


def _pace(
    consumer: Fetcher,
    merge: InRecordedOrder[Record],
    remaining: set[TopicPartition],
    paused: set[TopicPartition],
) -> None:
    """A partition fetched far ahead of the others (its records waiting for theirs) is paused
    until most of what waits has been applied, so what waits stays within a few polls a
    partition; one with nothing waiting is never paused (the merge waits for it), and one read
    to its end stays paused. A test's fetcher that cannot pause must never need to."""
    stop = [tp for tp in remaining - paused if merge.held(tp) >= HELD_RECORDS]
    go = [tp for tp in paused & remaining if merge.held(tp) < HELD_RECORDS // 2]
    if not stop and not go:
        return
    if not isinstance(consumer, Pausing):
        raise TypeError(f"{type(consumer).__name__} cannot pause the partitions fetched ahead")
    if stop:
        consumer.pause(*stop)
        paused.update(stop)
    if go:
        consumer.resume(*go)
        paused.difference_update(go)


def _applying(window: ReplayWindow | None) -> Applying:
    """A fresh store's guard in memory; either way, what a replay derives is not published
    (and its handlers' latency not observed: a replay serves no /metrics)."""
    return Applying(window or LIVE.guard, outbox=False, timed=False, settles=False)


def _window_of(engine: Engine, subscription: Subscription) -> ReplayWindow | None:
    """A guard in memory for a store this consumer never wrote to; else the store's own."""
    mine = select(consumer_offsets.c.consumer).where(
        consumer_offsets.c.consumer == subscription.name
    )
    with engine.connect() as conn:
        if conn.execute(mine.limit(1)).first() is not None:
            return None
    return ReplayWindow(subscription.name, subscription.duplicate_window)


def _apply(
    engine: Engine,
    subscription: Subscription,
    records: Sequence[Record],
    as_of: datetime | None,
    result: ReplayResult,
    how: Applying,
) -> None:
    kept = [r for r in records if as_of is None or not _later_than(r, as_of)]
    if len(kept) < len(records):
        result.count("after_as_of", len(records) - len(kept))
    with _collector_waiting():
        outcomes = apply_batch(engine, subscription, kept, how) if kept else []
    for outcome in outcomes:
        if isinstance(outcome, Poison):
            log.warning("replay skips poison event", extra={"reason": str(outcome)})
            outcome = "dead_lettered"
        result.count(outcome)


@contextmanager
def _built_at_the_end(engine: Engine, indexes: Sequence[Index]) -> Iterator[None]:
    """`indexes` dropped for the block and built again when it ends, however it ends (the
    store keeps a migrated one's schema). Only for a fresh store (the window's premise: the
    replay has it to itself), never one a live consumer or the API may be using: one entry a
    row while loading costs more than one sort at the end (safety's cases and deductions)."""
    if not indexes:
        yield
        return
    with engine.begin() as conn:
        for index in indexes:
            index.drop(conn, checkfirst=True)
    try:
        yield
    finally:
        with engine.begin() as conn:
            for index in indexes:
                index.create(conn, checkfirst=True)


@contextmanager
def _collector_waiting() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _set_aside() -> Iterator[Callable[[], None]]:
    """A step to run after each poll: the young garbage collected, and what survives frozen
    (`gc.freeze`), until the replay ends. The replayed state grows with the log, and each full
    pass of the collector walks all of it (bench-fold's credit replay: 7 passes, 17 % of its
    CPU). Frozen objects are still freed by their reference counts; a cycle of them that
    becomes garbage waits for the end. Only when the collector is on and nothing else froze
    objects (their owner would find them unfrozen at the end)."""
    if not gc.isenabled() or gc.get_freeze_count():
        yield lambda: None
        return
    try:
        yield _frozen
    finally:
        gc.unfreeze()


def _frozen() -> None:
    gc.collect(1)
    gc.freeze()


def _later_than(record: Record, as_of: datetime) -> bool:
    """By its `ce_time` header alone (the record is decoded once, when applied); a record
    whose time cannot be read is kept, for `apply_batch` to answer as poison."""
    raw = next((value for name, value in record.headers or () if name == "ce_time"), None)
    try:
        time = datetime.fromisoformat(raw.decode()) if raw is not None else None
    except (UnicodeDecodeError, ValueError):
        return False
    if time is None or time.tzinfo is None:
        return False
    return time > as_of
