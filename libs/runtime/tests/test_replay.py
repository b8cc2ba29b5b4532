"""Replay: everything up to the end offsets seen at the start, into a fresh store, as of a time.

The loop (`_drain`) is fed by a stand-in consumer on temp SQLite; `replay()` itself reads a
real broker (marked integration).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from kafka import KafkaAdminClient, TopicPartition
from kafka.admin import NewTopic
from sqlalchemy import Column, Connection, Engine, Index, Integer, MetaData, String, Table, select
from tianmen_devkit.broker import choose_broker
from tianmen_events import EventMeta, encode
from tianmen_events.safety import PointsDeducted
from tianmen_runtime.db import make_engine
from tianmen_runtime.digest import DigestTable, state_digest
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.kafka_io import make_producer
from tianmen_runtime.projection import Subscription, apply_batch
from tianmen_runtime.replay import _drain, replay
from tianmen_runtime.replay_window import ReplayWindow
from tianmen_runtime.testing import Record, record_of

from .deductions import deductions, on_deducted, projection_md

T0 = datetime(2026, 5, 12, 15, 30, tzinfo=UTC)


def _subscription(topic: str) -> Subscription:
    return Subscription(
        f"replay-test-{topic}",
        "/tianmen/test",
        (topic,),
        EventHandlers().on(PointsDeducted, on_deducted),
    )


def _deducted(n: int, points: int = 5) -> tuple[PointsDeducted, EventMeta]:
    event = PointsDeducted.model_construct(
        enterprise_id=f"e{n % 3}",
        violation_id=f"v{n}",
        points=points,
        balance_after=95,
        cycle_year=2026,
        rule_version="r1",
    )
    meta = EventMeta(
        id=f"id-{n}",
        source="/tianmen/safety",
        time=T0 + timedelta(hours=n),
        subject=event.enterprise_id,
        sequence=n + 1,
        correlation_id=f"c{n}",
    )
    return event, meta


def _rows(engine: Engine) -> list[tuple[str, int]]:
    with engine.connect() as conn:
        return sorted((r.violation_id, r.points) for r in conn.execute(select(deductions)))


TP = TopicPartition("safety.enterprise", 0)


class FakeConsumer:
    """Hands out `batches` one poll at a time, as a consumer assigned to TP would."""

    def __init__(self, batches: Sequence[list[Record]]) -> None:
        self.batches, self.next_offset = list(batches), 0

    def poll(self, timeout_ms: int) -> dict[TopicPartition, list[Record]]:
        if not self.batches:
            return {}
        batch = self.batches.pop(0)
        self.next_offset = batch[-1].offset + 1
        return {TP: batch}

    def position(self, tp: TopicPartition) -> int:
        return self.next_offset


def _records(*ns: int, points: int = 5) -> list[Record]:
    return [record_of(*_deducted(n, points), offset=n) for n in ns]


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return make_engine(f"sqlite:///{tmp_path / 'replayed.db'}", projection_md)


def test_replay_stops_at_the_end_offsets_seen_when_it_started(engine: Engine) -> None:
    consumer = FakeConsumer([_records(0, 1), _records(2, 3)])  # 3 was published after the start
    result = _drain(consumer, engine, _subscription(TP.topic), {TP: 3}, None)
    assert result.outcomes == {"applied": 3}
    assert _rows(engine) == [("v0", 5), ("v1", 5), ("v2", 5)]


def test_replay_as_of_leaves_out_and_counts_later_events(engine: Engine) -> None:
    consumer = FakeConsumer([_records(0, 1, 2, 3)])
    as_of = T0 + timedelta(hours=1)  # the event at exactly as_of is kept
    result = _drain(consumer, engine, _subscription(TP.topic), {TP: 4}, as_of)
    assert result.outcomes == {"applied": 2, "after_as_of": 2}
    assert _rows(engine) == [("v0", 5), ("v1", 5)]


def test_replay_as_of_keeps_a_record_whose_time_it_cannot_read_and_dead_letters_it(
    engine: Engine,
) -> None:
    good, bad = _records(0, 1)
    headers = [(k, b"not a time" if k == "ce_time" else v) for k, v in bad.headers]
    unreadable = Record(bad.topic, bad.partition, bad.offset, bad.key, bad.value, headers)
    consumer = FakeConsumer([[good, unreadable]])
    result = _drain(consumer, engine, _subscription(TP.topic), {TP: 2}, T0 + timedelta(hours=5))
    assert result.outcomes == {"applied": 1, "dead_lettered": 1}
    assert _rows(engine) == [("v0", 5)]


def test_replay_counts_poison_and_goes_on(engine: Engine) -> None:
    garbage = Record(TP.topic, 0, 1, b"e1", b"not json", [("ce_type", b"nonsense")])
    failing = record_of(*_deducted(2, points=-1), offset=2)
    consumer = FakeConsumer([[*_records(0), garbage, failing, *_records(3)]])
    result = _drain(consumer, engine, _subscription(TP.topic), {TP: 4}, None)
    assert result.outcomes == {"applied": 2, "dead_lettered": 2}
    assert _rows(engine) == [("v0", 5), ("v3", 5)]


def test_an_empty_partition_is_not_waited_for(engine: Engine) -> None:
    result = _drain(FakeConsumer([]), engine, _subscription(TP.topic), {TP: 0}, None)
    assert result.outcomes == {}


# replay() on a real broker


@pytest.fixture(scope="module")
def bootstrap() -> Iterator[str]:
    with choose_broker() as servers:
        yield servers


def _publish(bootstrap: str, topic: str, ns: range) -> None:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1)])
    finally:
        admin.close()
    producer = make_producer(bootstrap, "replay-test")
    for n in ns:
        message = encode(*_deducted(n))
        producer.send(topic, key=message.key, value=message.value, headers=message.headers)
    producer.flush()
    producer.close()


@pytest.mark.integration
def test_replay_reads_every_partition_from_zero_and_two_replays_agree(
    bootstrap: str, tmp_path: Path
) -> None:
    topic = f"replay-test-{tmp_path.name}"
    _publish(bootstrap, topic, range(9))
    subscription = _subscription(topic)
    digests = []
    for name in ("first", "second"):
        store = make_engine(f"sqlite:///{tmp_path / name}.db", projection_md)
        assert replay(store, subscription, bootstrap).outcomes == {"applied": 9}
        assert _rows(store) == sorted((f"v{n}", 5) for n in range(9))
        digests.append(state_digest(store, (DigestTable(deductions),)))
    assert digests[0] == digests[1]
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        assert subscription.name not in {group[0] for group in admin.list_groups()}
    finally:
        admin.close()


@pytest.mark.integration
def test_replay_as_of_on_a_real_topic(bootstrap: str, tmp_path: Path) -> None:
    topic = f"replay-test-{tmp_path.name}"
    _publish(bootstrap, topic, range(6))
    store = make_engine(f"sqlite:///{tmp_path / 'as-of'}.db", projection_md)
    result = replay(store, _subscription(topic), bootstrap, as_of=T0 + timedelta(hours=2))
    assert result.outcomes == {"applied": 3, "after_as_of": 3}
    assert _rows(store) == [("v0", 5), ("v1", 5), ("v2", 5)]


@pytest.mark.integration
def test_replay_from_a_topic_that_does_not_exist_says_so(bootstrap: str, tmp_path: Path) -> None:
    store = make_engine(f"sqlite:///{tmp_path / 'none'}.db", projection_md)
    with pytest.raises(LookupError, match="does not exist"):
        replay(store, _subscription(f"missing-{tmp_path.name}"), bootstrap)


class CountingFrozen(FakeConsumer):
    """Notes how many objects the collector has set aside as each poll starts."""

    def __init__(self, batches: Sequence[list[Record]]) -> None:
        super().__init__(batches)
        self.frozen: list[int] = []

    def poll(self, timeout_ms: int) -> dict[TopicPartition, list[Record]]:
        self.frozen.append(gc.get_freeze_count())
        return super().poll(timeout_ms)


def test_what_survives_a_poll_is_set_aside_until_the_replay_ends(engine: Engine) -> None:
    consumer = CountingFrozen([_records(0, 1), _records(2, 3)])
    result = _drain(consumer, engine, _subscription(TP.topic), {TP: 4}, None)
    assert result.outcomes == {"applied": 4}
    first, second = consumer.frozen
    assert first == 0 and second > 0  # the full passes no longer walk the replayed state
    assert gc.get_freeze_count() == 0 and gc.isenabled()  # all the collector's again


def test_objects_someone_else_froze_stay_frozen_and_nothing_more_is(engine: Engine) -> None:
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        consumer = CountingFrozen([_records(0, 1), _records(2, 3)])
        _drain(consumer, engine, _subscription(TP.topic), {TP: 4}, None)
        # none added (some of them freed: a frozen object still dies with its last reference)
        assert all(0 < frozen <= before for frozen in consumer.frozen)
        assert 0 < gc.get_freeze_count() <= before
    finally:
        gc.unfreeze()


indexed_md = MetaData()
Table(
    "deductions",
    indexed_md,
    Column("violation_id", String, primary_key=True),
    Column("points", Integer),
    Index("ix_deductions_points", "points"),
)
API_ONLY = tuple(indexed_md.tables["deductions"].indexes)


def _indexes(engine: Engine) -> list[tuple[str, str]]:
    """Every index of the store as SQLite holds it: name and definition."""
    query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    with engine.connect() as conn:
        return [(row[0], row[1]) for row in conn.exec_driver_sql(query)]


class NotingIndexes(FakeConsumer):
    """Notes the store's indexes as each poll starts."""

    def __init__(self, engine: Engine, batches: Sequence[list[Record]]) -> None:
        super().__init__(batches)
        self.engine, self.seen = engine, list[list[str]]()

    def poll(self, timeout_ms: int) -> dict[TopicPartition, list[Record]]:
        self.seen.append([name for name, _ in _indexes(self.engine)])
        return super().poll(timeout_ms)


def _built_after(topic: str) -> Subscription:
    return replace(_subscription(topic), built_after_replay=API_ONLY)


def test_the_api_only_indexes_are_built_when_the_load_ends_as_a_migrated_store_has_them(
    tmp_path: Path,
) -> None:
    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}", indexed_md)
    replayed = make_engine(f"sqlite:///{tmp_path / 'replayed.db'}", indexed_md)
    consumer = NotingIndexes(replayed, [_records(0, 1), _records(2, 3)])
    result = _drain(consumer, replayed, _built_after(TP.topic), {TP: 4}, None)
    assert result.outcomes == {"applied": 4}
    assert all("ix_deductions_points" not in names for names in consumer.seen)
    assert dict(_indexes(replayed))["ix_deductions_points"] is not None
    assert _indexes(replayed) == _indexes(fresh)


def test_a_replay_that_fails_still_leaves_the_indexes(tmp_path: Path) -> None:
    replayed = make_engine(f"sqlite:///{tmp_path / 'replayed.db'}", indexed_md)
    fresh = _indexes(make_engine(f"sqlite:///{tmp_path / 'fresh.db'}", indexed_md))
    consumer = NotingIndexes(replayed, [_records(0, 1)])  # the log ends before offset 4
    consumer.poll = lambda timeout_ms: (_ for _ in ()).throw(OSError("broker gone"))  # type: ignore[method-assign]
    with pytest.raises(OSError):
        _drain(consumer, replayed, _built_after(TP.topic), {TP: 4}, None)
    assert _indexes(replayed) == fresh


def test_a_store_the_consumer_already_wrote_to_keeps_its_indexes(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'live.db'}", indexed_md)
    subscription = _built_after(TP.topic)
    apply_batch(engine, subscription, _records(0, 1))
    consumer = NotingIndexes(engine, [_records(0, 1, 2, 3)])
    _drain(consumer, engine, subscription, {TP: 4}, None)
    assert all("ix_deductions_points" in names for names in consumer.seen)


def test_the_window_is_written_before_the_collector_gets_the_state_back(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen: list[int] = []
    write = ReplayWindow.write

    def noting(window: ReplayWindow, conn: Connection) -> None:
        frozen.append(gc.get_freeze_count())
        write(window, conn)

    monkeypatch.setattr(ReplayWindow, "write", noting)
    _drain(
        FakeConsumer([_records(0, 1), _records(2, 3)]),
        engine,
        _subscription(TP.topic),
        {TP: 4},
        None,
    )
    assert len(frozen) == 1 and frozen[0] > 0
    assert gc.get_freeze_count() == 0
