"""The bounded duplicate guard: redelivered offsets and relay duplicates stay no-ops, while the
processed-event table keeps only a window of ids per partition."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.event import listen
from tianmen_events import EventMeta
from tianmen_events.safety import PointsDeducted
from tianmen_runtime.db import consumer_offsets, make_engine, processed_events
from tianmen_runtime.event_store import ConcurrencyConflict
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.projection import apply_batch, apply_record
from tianmen_runtime.testing import Record
from tianmen_runtime.tracking import Delivery, DuplicateGuard
from tianmen_runtime.unit_of_work import UnitOfWork

from .conftest import StoreUrl
from .deductions import projection_md
from .test_consumer import SUBSCRIPTION, _event, _record, _rows

WINDOW = 10
GUARDED = replace(SUBSCRIPTION, duplicate_window=WINDOW)


@pytest.fixture
def engine(store_url: StoreUrl) -> Engine:
    return make_engine(store_url("guard"), projection_md)


def _records(count: int, partition: int = 0) -> list[Record]:
    return [_record(_event(f"v{i}"), f"id-{i}", i, partition) for i in range(count)]


def _ids_kept(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(processed_events)).scalar_one())


def test_a_redelivered_offset_is_a_duplicate_long_after_its_id_left_the_window(
    engine: Engine,
) -> None:
    records = _records(3 * WINDOW)
    assert set(apply_batch(engine, GUARDED, records)) == {"applied"}
    assert apply_record(engine, GUARDED, records[0]) == "duplicate"
    assert apply_batch(engine, GUARDED, records[-5:]) == ["duplicate"] * 5
    assert len(_rows(engine)) == 3 * WINDOW


def test_a_relay_duplicate_at_a_new_offset_within_the_window_is_a_no_op(engine: Engine) -> None:
    records = _records(WINDOW // 2)
    apply_batch(engine, GUARDED, records)
    republished = _record(_event("v1"), "id-1", offset=WINDOW // 2 + 3)
    later = _record(_event("v99"), "id-99", offset=WINDOW // 2 + 4)
    assert apply_batch(engine, GUARDED, [republished, later]) == ["duplicate", "applied"]
    assert sorted(_rows(engine)) == sorted(
        [(f"v{i}", 5) for i in range(WINDOW // 2)] + [("v99", 5)]
    )


def test_the_processed_event_table_keeps_only_the_window_per_partition(engine: Engine) -> None:
    for start in range(0, 5 * WINDOW, 7):  # batches that do not line up with the window
        apply_batch(engine, GUARDED, _records(5 * WINDOW)[start : start + 7])
    apply_batch(engine, GUARDED, [_record(_event("p1"), "id-p1", 0, partition=1)])
    assert len(_rows(engine)) == 5 * WINDOW + 1
    assert _ids_kept(engine) == WINDOW + 1


def test_the_guard_reads_and_writes_its_ids_in_the_same_statements_whatever_their_count(
    engine: Engine,
) -> None:
    # One text each (PostgreSQL prepares it once; an expanded IN was a statement a count of ids,
    # whose cached generic plan could scan the table comparing each row with each id), and on
    # PostgreSQL no executemany (a Bind and an Execute a row on the server).
    records = _records(4 * WINDOW)
    apply_batch(engine, GUARDED, records[: WINDOW + 1])  # the next two both prune
    sent: list[tuple[str, bool]] = []

    def note(*args: object) -> None:
        statement, many = str(args[2]), bool(args[5])
        if "processed_events" in statement:
            sent.append((statement, many and engine.dialect.name == "postgresql"))

    listen(engine, "before_cursor_execute", note)
    apply_batch(engine, GUARDED, records[WINDOW + 1 : WINDOW + 4])
    three, sent[:] = list(sent), []
    apply_batch(engine, GUARDED, records[WINDOW + 4 :])
    assert sent == three
    assert not any(many for _, many in sent)


def test_offsets_are_per_partition(engine: Engine) -> None:
    apply_batch(engine, GUARDED, _records(5, partition=0))
    assert apply_record(engine, GUARDED, _record(_event("w"), "id-w", 0, partition=1)) == "applied"


def test_untracked_topics_leave_no_offset_behind(engine: Engine) -> None:
    untracked = replace(
        GUARDED, handlers=EventHandlers(), idempotent_topics=frozenset({"safety.enterprise"})
    )
    apply_batch(engine, untracked, _records(3))
    with engine.connect() as conn:
        assert conn.execute(select(consumer_offsets)).all() == []


@pytest.mark.integration
def test_an_offset_moved_by_another_member_meanwhile_is_retried_not_applied_twice(
    new_postgres_database: Callable[[str], str],
) -> None:
    # SQLite serializes writers (BEGIN IMMEDIATE), so this race exists only on PostgreSQL.
    engine = make_engine(new_postgres_database("offsets"), projection_md)
    apply_record(engine, GUARDED, _record(_event("v0"), "id-0", 0))
    # Only the rival applies the event, so the projection shows whether it was applied twice.
    racing = replace(GUARDED, handlers=EventHandlers().on(PointsDeducted, _moves_offset(engine)))
    with pytest.raises(ConcurrencyConflict):
        apply_record(engine, racing, _record(_event("v1"), "id-1", 1))
    assert apply_record(engine, GUARDED, _record(_event("v1"), "id-1", 1)) == "duplicate"
    assert sorted(_rows(engine)) == [("v0", 5), ("v1", 5)]


@pytest.mark.integration
def test_the_guard_reads_its_seen_ids_planned_each_time_on_postgresql(
    new_postgres_database: Callable[[str], str],
) -> None:
    # psycopg prepares a statement at its fifth run, and PostgreSQL's generic plan for it is
    # made from the table's size then: a fresh store's processed_events is nearly empty, and a
    # plan that scans it once per id stayed cached while it grew (265 ms a read, bench-telemetry).
    engine = make_engine(new_postgres_database("unprepared"), projection_md)
    with engine.begin() as conn:
        for n in range(8):
            DuplicateGuard(conn, "guard", [Delivery(f"id-{n}", "t", 0, n)], WINDOW)
        prepared = conn.execute(text("SELECT statement FROM pg_prepared_statements")).scalars()
        assert [s for s in prepared if "processed_events" in s] == []


def _moves_offset(engine: Engine) -> Callable[[PointsDeducted, EventMeta, UnitOfWork], None]:
    def another_member_applied_it(event: PointsDeducted, meta: EventMeta, uow: UnitOfWork) -> None:
        with engine.begin() as other:
            other.execute(update(consumer_offsets).values(offset=1))
            other.execute(
                projection_md.tables["deductions"].insert().values(violation_id="v1", points=5)
            )

    return another_member_applied_it
