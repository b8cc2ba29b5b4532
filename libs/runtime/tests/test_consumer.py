from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, delete, insert, select
from tianmen_events import DomainEvent, EventMeta
from tianmen_events.safety import PointsDeducted
from tianmen_runtime.db import make_engine, processed_events
from tianmen_runtime.digest import DigestTable, state_digest
from tianmen_runtime.event_store import ConcurrencyConflict
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.projection import Applying, Poison, Subscription, apply_batch, apply_record
from tianmen_runtime.testing import Record, record_of
from tianmen_runtime.unit_of_work import UnitOfWork

from .conftest import StoreUrl
from .deductions import deductions, on_deducted, projection_md


def _record(event: DomainEvent, event_id: str, offset: int = 0, partition: int = 0) -> Record:
    meta = EventMeta(
        id=event_id,
        source="/tianmen/safety",
        time=datetime(2026, 1, 2, tzinfo=UTC),
        subject=event.subject_id(),
        sequence=1,
        correlation_id=event_id,
    )
    return record_of(event, meta, offset=offset, partition=partition)


SUBSCRIPTION = Subscription(
    "test",
    "/tianmen/test",
    ("safety.enterprise",),
    EventHandlers().on(PointsDeducted, on_deducted),
)


def _event(violation: str, points: int = 5) -> PointsDeducted:
    return PointsDeducted.model_construct(
        enterprise_id="e1",
        violation_id=violation,
        points=points,
        balance_after=95,
        cycle_year=2026,
        rule_version="r1",
    )


@pytest.fixture
def engine(store_url: StoreUrl) -> Engine:
    return make_engine(store_url("projection"), projection_md)


def _rows(engine: Engine) -> list[tuple[str, int]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(deductions))]


def test_redelivered_event_is_applied_once(engine: Engine) -> None:
    record = _record(_event("v1"), "id-1")
    assert apply_record(engine, SUBSCRIPTION, record) == "applied"
    assert apply_record(engine, SUBSCRIPTION, record) == "duplicate"
    assert _rows(engine) == [("v1", 5)]


def test_garbage_is_poison_with_the_reason(engine: Engine) -> None:
    record = Record("safety.enterprise", 0, 1, b"k", b"garbage", [])
    with pytest.raises(Poison, match="missing CloudEvents headers"):
        apply_record(engine, SUBSCRIPTION, record)


def test_handler_failure_is_poison_and_half_applies_nothing(engine: Engine) -> None:
    with pytest.raises(Poison, match="negative points"):
        apply_record(engine, SUBSCRIPTION, _record(_event("v2", -1), "id-2"))
    assert _rows(engine) == []
    assert apply_record(engine, SUBSCRIPTION, _record(_event("v3"), "id-3")) == "applied"


def test_digest_does_not_depend_on_arrival_order_or_backend(
    tmp_path: Path, store_url: StoreUrl
) -> None:
    a = make_engine(f"sqlite:///{tmp_path / 'a.db'}", projection_md)
    b = make_engine(store_url("b"), projection_md)
    # Kafka keeps order within a partition only: arrival order varies across partitions.
    records = [_record(_event(f"v{i}", i), f"id-{i}", 0, partition=i) for i in range(1, 4)]
    for record in records:
        apply_record(a, SUBSCRIPTION, record)
    for record in reversed(records):
        apply_record(b, SUBSCRIPTION, record)
    tables = [DigestTable(deductions)]
    assert state_digest(a, tables) == state_digest(b, tables)
    apply_record(b, SUBSCRIPTION, _record(_event("v9", 9), "id-9", 9, partition=1))
    assert state_digest(a, tables) != state_digest(b, tables)


@pytest.mark.integration
def test_event_applied_concurrently_elsewhere_is_retried_not_dead_lettered(
    new_postgres_database: Callable[[str], str],
) -> None:
    # SQLite serializes writers (BEGIN IMMEDIATE), so this race exists only on PostgreSQL.
    engine = make_engine(new_postgres_database("racing"), projection_md)
    record = _record(_event("v7"), "id-7")

    def applied_meanwhile_by_another_member(
        event: PointsDeducted, meta: EventMeta, uow: UnitOfWork
    ) -> None:
        with engine.begin() as other:
            other.execute(
                insert(processed_events).values(
                    consumer="racing", event_id=meta.id, topic="t", partition=0, offset=0
                )
            )

    racing = Subscription(
        "racing",
        "/tianmen/test",
        ("safety.enterprise",),
        EventHandlers().on(PointsDeducted, applied_meanwhile_by_another_member),
    )
    with pytest.raises(ConcurrencyConflict):
        apply_record(engine, racing, record)
    assert apply_record(engine, racing, record) == "duplicate"


def test_poison_in_a_batch_rolls_back_only_itself(engine: Engine) -> None:
    records = [
        _record(_event("v1"), "id-1", 0),
        _record(_event("v2", -1), "id-2", 1),
        Record("safety.enterprise", 0, 2, b"k", b"garbage", []),
        _record(_event("v3"), "id-3", 3),
        _record(_event("v1"), "id-1", 4),
    ]
    outcomes = apply_batch(engine, SUBSCRIPTION, records)
    assert [o if isinstance(o, str) else "poison" for o in outcomes] == [
        "applied",
        "poison",
        "poison",
        "applied",
        "duplicate",
    ]
    assert sorted(_rows(engine)) == [("v1", 5), ("v3", 5)]


def test_events_of_idempotent_topics_are_applied_without_a_processed_row(engine: Engine) -> None:
    untracked = Subscription(
        "untracked",
        "/tianmen/test",
        ("safety.enterprise",),
        EventHandlers().on(PointsDeducted, _on_upsert),
        idempotent_topics=frozenset({"safety.enterprise"}),
    )
    record = _record(_event("v5"), "id-5")
    assert apply_record(engine, untracked, record) == "applied"
    assert apply_record(engine, untracked, record) == "applied"
    assert _rows(engine) == [("v5", 5)]
    with engine.connect() as conn:
        assert conn.execute(select(processed_events)).all() == []


def _on_upsert(event: PointsDeducted, meta: EventMeta, uow: UnitOfWork) -> None:
    uow.conn.execute(delete(deductions).where(deductions.c.violation_id == event.violation_id))
    on_deducted(event, meta, uow)


class _Buffered:
    """A part that writes its rows when the unit of work flushes, as services' row maps do."""

    def __init__(self, conn: Connection) -> None:
        self.conn, self.rows = conn, list[dict[str, object]]()

    def flush(self) -> None:
        if self.rows:
            self.conn.execute(insert(deductions), self.rows)
        self.rows = []


def test_settle_runs_once_a_transaction_after_its_handlers_on_what_they_wrote(
    engine: Engine,
) -> None:
    seen: list[tuple[list[str], list[str]]] = []

    def buffered(event: PointsDeducted, meta: EventMeta, uow: UnitOfWork) -> None:
        row = {"violation_id": event.violation_id, "points": event.points}
        uow.part(_Buffered, _Buffered).rows.append(row)

    def settle(uow: UnitOfWork, batch: Sequence[tuple[DomainEvent, EventMeta]]) -> None:
        stored = uow.conn.execute(select(deductions.c.violation_id)).scalars()
        seen.append(([meta.id for _, meta in batch], sorted(stored)))

    subscription = Subscription(
        "test",
        "/tianmen/test",
        ("safety.enterprise",),
        EventHandlers().on(PointsDeducted, buffered),
        settle=settle,
    )
    records = [_record(_event("v1"), "id-1", 0), _record(_event("v2"), "id-2", 1)]
    assert apply_batch(engine, subscription, records) == ["applied", "applied"]
    assert seen == [(["id-1", "id-2"], ["v1", "v2"])]
    assert sorted(_rows(engine)) == [("v1", 5), ("v2", 5)]  # flushed once, not again at commit


def test_a_replay_leaves_settling_to_its_next_poll(engine: Engine) -> None:
    settled: list[int] = []
    subscription = Subscription(
        "test",
        "/tianmen/test",
        ("safety.enterprise",),
        EventHandlers().on(PointsDeducted, on_deducted),
        settle=lambda uow, batch: settled.append(len(batch)),
    )
    records = [_record(_event("v1"), "id-1", 0), _record(_event("v2"), "id-2", 1)]
    replaying = Applying(outbox=False, timed=False, settles=False)
    assert apply_batch(engine, subscription, records, replaying) == ["applied", "applied"]
    assert settled == []
    assert apply_batch(engine, subscription, [_record(_event("v3"), "id-3", 2)]) == ["applied"]
    assert settled == [1]
