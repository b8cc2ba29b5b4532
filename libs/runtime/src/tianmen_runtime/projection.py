"""Applying consumed events to a projection: decode -> skip if seen -> apply + record, atomically.

A batch of records is applied in one database transaction, and what it applied (the highest
offset per partition, the event ids of a bounded window: see `tracking`) is recorded in that same
transaction (effectively exactly once over at-least-once delivery).
A poison record — one that cannot be decoded or whose handler fails — is answered by committing
the records before it, reporting it, and going on after it; a transient failure (a lost race, a
locked or unreachable database) rolls back the whole batch for the caller to retry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, TypeGuard

from prometheus_client import Histogram
from sqlalchemy import Engine, Index
from sqlalchemy.exc import OperationalError
from tianmen_events import DomainEvent, EnvelopeError, EventMeta, decode

from tianmen_runtime.event_store import ConcurrencyConflict
from tianmen_runtime.fetch import Record
from tianmen_runtime.handlers import EventHandlers, Handler
from tianmen_runtime.logs import correlation_id
from tianmen_runtime.metrics import HANDLER_LATENCY
from tianmen_runtime.recorded import recorded_ms, recorded_partition, stamp_of
from tianmen_runtime.tracking import Delivery, DuplicateGuard, Guard, GuardFactory
from tianmen_runtime.unit_of_work import UnitOfWork, unit_of_work

TRANSIENT = (OperationalError, ConcurrencyConflict)
Prepare = Callable[[UnitOfWork, Sequence[tuple[DomainEvent, EventMeta]]], None]


class Poison(Exception):
    """This event can never be applied; the message says why."""


@dataclass(frozen=True)
class Subscription:
    """What a service consumes and what it does with it: its consumer name (= group id), its
    source (for the events its handlers append), its topics and its handler table."""

    name: str
    source: str
    topics: tuple[str, ...]
    handlers: EventHandlers
    idempotent_topics: frozenset[str] = frozenset()
    """Topics whose handlers are idempotent by construction, so their events are not tracked
    at all (raw terminal reports: a billion a day at full scale)."""
    duplicate_window: int = 10_000
    """Event ids are kept for the latest this many offsets of each partition (see `tracking`)."""
    prepare: Prepare | None = None
    """Run once per transaction before its handlers, with the events they will get: reads in a
    few queries what the handlers would otherwise ask for one event at a time."""
    settle: Prepare | None = None
    """Run once per transaction after its handlers, with the same events, on the unit of work
    flushed (so its queries read what the handlers wrote): derives what the batch, now applied,
    has made true (safety's tick to the batch's latest event time)."""
    built_after_replay: tuple[Index, ...] = ()
    """Indexes no handler reads (the API's): a replay into a fresh store drops them before its
    first poll and builds them after its last, once, instead of one entry a row (`replay`)."""
    waiting: frozenset[str] = frozenset()
    waits_for: frozenset[str] = frozenset()
    """A record of a `waiting` topic is applied only after every record of the `waits_for`
    topics the log recorded before it (`recorded_order`: telemetry's reports after the
    registry's word)."""

    def tracks(self, item: _Item | Outcome) -> TypeGuard[_Item]:
        return isinstance(item, _Item) and item.record.topic not in self.idempotent_topics


class _Item(NamedTuple):
    """A decoded record and what applies it: one per consumed record, so a tuple (a frozen
    dataclass sets each field through `object.__setattr__`: 1.6 against 0.7 us a record)."""

    record: Record
    event: DomainEvent
    meta: EventMeta
    handlers: Sequence[Handler]
    delivery: Delivery


class _PoisonAt(Exception):
    def __init__(self, index: int, poison: Poison) -> None:
        super().__init__(index)
        self.index = index
        self.poison = poison


Outcome = str | Poison
_Run = Callable[[UnitOfWork, Subscription, _Item, int], None]


@dataclass(frozen=True)
class Applying:
    """How batches are applied: live, with the store's duplicate guard and appended events
    to the outbox; a replay brings its own guard (`replay_window`) and publishes nothing."""

    guard: GuardFactory = DuplicateGuard
    outbox: bool = True
    timed: bool = True
    """Whether each event's handler latency is observed (`HANDLER_LATENCY`); a replay is a
    command that serves no /metrics, so its observations would go nowhere."""
    settles: bool = True
    """Whether a transaction runs the subscription's `settle` after its handlers. Live: what
    the batch made true is derived now, since the next poll may never come. A replay's next
    poll always comes (its log goes on; its end hands over to live), and what a later tick
    derives says the same (dated by what it is about, decision 79), so a replay leaves it to
    the next poll's tick and saves a tick a poll (bench-replay: ~16 us a log event)."""


LIVE = Applying()


def apply_batch(
    engine: Engine,
    subscription: Subscription,
    records: Sequence[Record],
    how: Applying = LIVE,
) -> list[Outcome]:
    """Apply `records` in order; one outcome per record ("applied", "duplicate", "ignored")
    or the `Poison` that belongs in the dead-letter topic."""
    items = [_prepare(subscription, record) for record in records]
    outcomes: list[Outcome] = []
    while len(outcomes) < len(items):
        outcomes += _apply_prefix(engine, subscription, items[len(outcomes) :], how)
    return outcomes


def apply_record(engine: Engine, subscription: Subscription, record: Record) -> str:
    """Apply one record; return the outcome. Raises `Poison` for what belongs in the DLQ."""
    (outcome,) = apply_batch(engine, subscription, [record])
    if isinstance(outcome, Poison):
        raise outcome
    return outcome


def _prepare(subscription: Subscription, record: Record) -> _Item | Outcome:
    try:
        event, meta = decode(record.headers, record.value)
    except EnvelopeError as exc:
        return Poison(str(exc))
    if record.key is not None and record.key != meta.subject.encode():
        return Poison(f"key {record.key!r} is not the event's subject {meta.subject}")
    handlers = subscription.handlers.for_event(event)
    if not handlers:
        return "ignored"
    delivery = Delivery(meta.id, record.topic, record.partition, record.offset)
    return _Item(record, event, meta, handlers, delivery)


def _apply_prefix(
    engine: Engine,
    subscription: Subscription,
    items: Sequence[_Item | Outcome],
    how: Applying,
) -> list[Outcome]:
    """Outcomes of a non-empty prefix of `items`, committed in one transaction."""
    try:
        return _apply_all(engine, subscription, items, how)
    except _PoisonAt as stop:
        if stop.index == 0:
            return [stop.poison]
        return _apply_prefix(engine, subscription, items[: stop.index], how)


def _apply_all(
    engine: Engine,
    subscription: Subscription,
    items: Sequence[_Item | Outcome],
    how: Applying,
) -> list[Outcome]:
    with unit_of_work(engine, subscription.source, outbox=how.outbox) as uow:
        tracked = [item.delivery for item in items if subscription.tracks(item)]
        window = subscription.duplicate_window
        guard = how.guard(uow.conn, subscription.name, tracked, window)
        batch = [(i.event, i.meta) for i in items if isinstance(i, _Item)]
        if subscription.prepare is not None:
            subscription.prepare(uow, batch)
        run = _run_timed if how.timed else _run_handlers
        outcomes = [
            _apply_one(uow, subscription, guard, run, i, item) for i, item in enumerate(items)
        ]
        if subscription.settle is not None and batch and how.settles:
            uow.flush()
            subscription.settle(uow, batch)
        guard.record()
    return outcomes


def _apply_one(
    uow: UnitOfWork,
    subscription: Subscription,
    guard: Guard,
    run: _Run,
    index: int,
    item: _Item | Outcome,
) -> Outcome:
    if not isinstance(item, _Item):
        return item
    if not subscription.tracks(item):
        run(uow, subscription, item, index)
        return "applied"
    if guard.is_duplicate(item.delivery):
        guard.passed(item.delivery, applied=False)
        return "duplicate"
    run(uow, subscription, item, index)
    guard.passed(item.delivery, applied=True)
    return "applied"


@lru_cache(maxsize=64)
def _latency(consumer: str) -> Histogram:
    return HANDLER_LATENCY.labels(consumer)  # once per consumer: `labels` costs per event


def _run_timed(uow: UnitOfWork, subscription: Subscription, item: _Item, index: int) -> None:
    with _latency(subscription.name).time():
        _run_handlers(uow, subscription, item, index)


def _run_handlers(uow: UnitOfWork, subscription: Subscription, item: _Item, index: int) -> None:
    token = correlation_id.set(item.meta.correlation_id)
    stamp = recorded_ms.set(stamp_of(item.record))
    partition = recorded_partition.set(getattr(item.record, "partition", None))
    try:
        for handler in item.handlers:
            handler(item.event, item.meta, uow)
    except TRANSIENT:
        raise
    except Exception as exc:
        raise _PoisonAt(index, Poison(f"{type(exc).__name__}: {exc}")) from exc
    finally:
        recorded_partition.reset(partition)
        recorded_ms.reset(stamp)
        correlation_id.reset(token)
