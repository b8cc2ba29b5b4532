"""A replay's duplicate guard in memory decides as the store's guard does, and leaves the store's
guard as a live consumer would have left it (temp SQLite; the consumer is a stand-in)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from kafka import TopicPartition
from sqlalchemy import Engine, func, select
from tianmen_events import EventMeta
from tianmen_events.safety import PointsDeducted
from tianmen_runtime.db import consumer_offsets, events, make_engine, outbox, processed_events
from tianmen_runtime.digest import EVENT_LOG, state_digest
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.projection import Subscription, apply_batch
from tianmen_runtime.replay import _drain
from tianmen_runtime.testing import Record, record_of
from tianmen_runtime.unit_of_work import UnitOfWork

from .deductions import projection_md
from .test_replay import TP, FakeConsumer, _deducted, _records, _rows, _subscription


def _again(n: int, offset: int) -> Record:
    """Event `n` published again by the relay (same id) at a later offset."""
    return record_of(*_deducted(n), offset=offset)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return make_engine(f"sqlite:///{tmp_path / 'replayed.db'}", projection_md)


def test_a_relay_duplicate_in_a_later_poll_is_skipped(engine: Engine) -> None:
    polls = [_records(0, 1), [_again(0, 2), *_records(3)], [_again(1, 4)]]
    result = _drain(FakeConsumer(polls), engine, _subscription(TP.topic), {TP: 5}, None)
    assert result.outcomes == {"applied": 3, "duplicate": 2}
    assert _rows(engine) == [("v0", 5), ("v1", 5), ("v3", 5)]


def test_replay_decides_every_record_as_the_live_guard_does(tmp_path: Path) -> None:
    """Same records, same window (3 offsets): one duplicate inside it, one beyond it."""
    subscription = replace(_subscription(TP.topic), duplicate_window=3)
    records = [*_records(0, 1), _again(0, 2), *_records(3, 4, 5, 6), _again(1, 7)]
    live = make_engine(f"sqlite:///{tmp_path / 'live.db'}", projection_md)
    live_outcomes = [o for r in records for o in apply_batch(live, subscription, [r])]
    replayed = make_engine(f"sqlite:///{tmp_path / 'replayed.db'}", projection_md)
    result = _drain(FakeConsumer([records[:4], records[4:]]), replayed, subscription, {TP: 8}, None)
    counted: dict[str, int] = {}
    for outcome in live_outcomes:
        key = outcome if isinstance(outcome, str) else "dead_lettered"
        counted[key] = counted.get(key, 0) + 1
    assert result.outcomes == counted == {"applied": 6, "duplicate": 1, "dead_lettered": 1}
    assert _rows(replayed) == _rows(live)


def test_the_replayed_store_keeps_offsets_and_the_window_for_a_live_consumer(
    engine: Engine,
) -> None:
    subscription = _subscription(TP.topic)
    _drain(FakeConsumer([_records(0, 1, 2)]), engine, subscription, {TP: 3}, None)
    with engine.connect() as conn:
        offsets = conn.execute(select(consumer_offsets.c.offset)).scalars().all()
        ids = conn.execute(select(processed_events.c.event_id)).scalars().all()
    assert offsets == [2]
    assert sorted(ids) == ["id-0", "id-1", "id-2"]
    redelivered, republished = _records(1)[0], _again(2, 3)
    assert apply_batch(engine, subscription, [redelivered, republished]) == [
        "duplicate",
        "duplicate",
    ]
    assert _rows(engine) == [("v0", 5), ("v1", 5), ("v2", 5)]


def test_a_store_the_consumer_already_wrote_to_keeps_its_own_guard(engine: Engine) -> None:
    subscription = _subscription(TP.topic)
    apply_batch(engine, subscription, _records(0, 1))
    result = _drain(FakeConsumer([_records(0, 1, 2, 3)]), engine, subscription, {TP: 4}, None)
    assert result.outcomes == {"duplicate": 2, "applied": 2}
    with engine.connect() as conn:
        assert conn.execute(select(consumer_offsets.c.offset)).scalars().all() == [3]


def _derive(event: PointsDeducted, meta: EventMeta, uow: UnitOfWork) -> None:
    """A handler that appends an event of its own, as safety's and credit's do."""
    derived = event.model_copy(update={"violation_id": f"derived-{event.violation_id}"})
    version = uow.events.version(event.enterprise_id)
    uow.events.append_caused_by(meta, event.enterprise_id, [derived], expected_version=version)


def _counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        count = [select(func.count()).select_from(t) for t in (events, outbox)]
        return conn.execute(count[0]).scalar_one(), conn.execute(count[1]).scalar_one()


def test_a_replay_derives_the_live_event_log_and_publishes_none_of_it(tmp_path: Path) -> None:
    subscription = Subscription(
        "replay-derives", "/tianmen/test", (TP.topic,), EventHandlers().on(PointsDeducted, _derive)
    )
    records = _records(0, 1, 2, 3, 4)
    live = make_engine(f"sqlite:///{tmp_path / 'live.db'}")
    apply_batch(live, subscription, records[:2])
    apply_batch(live, subscription, records[2:])
    replayed = make_engine(f"sqlite:///{tmp_path / 'replayed.db'}")
    result = _drain(FakeConsumer([records]), replayed, subscription, {TP: 5}, None)
    assert result.outcomes == {"applied": 5}
    assert _counts(live) == (5, 5)
    assert _counts(replayed) == (5, 0)
    assert state_digest(replayed, (EVENT_LOG,)) == state_digest(live, (EVENT_LOG,))


OTHER = TopicPartition(TP.topic, 1)


def _on(partition: int, *ns: int, offset: int) -> list[Record]:
    return [
        record_of(*_deducted(n), offset=offset + i, partition=partition) for i, n in enumerate(ns)
    ]


def test_the_replayed_guard_holds_the_window_of_each_partition_and_no_more(
    engine: Engine,
) -> None:
    """A window of 3 offsets: of ten records on one partition and two on another, the store
    keeps the ids at the last three offsets of the first and both of the second; an id the
    relay publishes again inside the window is still a duplicate, one beyond it is let through, as
    the live guard decides (`test_replay_decides_every_record_as_the_live_guard_does`)."""
    subscription = replace(_subscription(TP.topic), duplicate_window=3)
    polls = {TP: _records(*range(10)), OTHER: _on(1, 20, 21, offset=0)}
    consumer = _Partitions(polls)
    _drain(consumer, engine, subscription, {TP: 10, OTHER: 2}, None)
    with engine.connect() as conn:
        kept = conn.execute(select(processed_events.c.partition, processed_events.c.offset)).all()
    assert sorted(kept) == [(0, 7), (0, 8), (0, 9), (1, 0), (1, 1)]
    inside, beyond = _again(7, 10), _again(6, 11)  # 10 - 3 <= 7; 11 - 3 > 6
    first, second = apply_batch(engine, subscription, [inside, beyond])
    assert first == "duplicate"
    assert second != "duplicate"  # the guard lets it through (this handler then refuses it)


class _Partitions(FakeConsumer):
    """Hands out every partition's records in one poll."""

    def __init__(self, polls: dict[TopicPartition, list[Record]]) -> None:
        super().__init__([])
        self.polls = polls
        self.ends = {tp: records[-1].offset + 1 for tp, records in polls.items()}

    def poll(self, timeout_ms: int) -> dict[TopicPartition, list[Record]]:
        polled, self.polls = self.polls, {}
        return polled

    def position(self, tp: TopicPartition) -> int:
        return self.ends[tp]
