"""Tracks on PostgreSQL, one partition a local day (issue 8, decision 112), on the real server:
reports land in their day's partition, a late report for a day without one is stored, retention
drops whole days and keeps the rest (a kept day's track answers the same rows), and the
migration turns a table holding rows into day partitions."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, Engine, func, insert, select, text
from sqlalchemy.exc import OperationalError
from tianmen_events import derive_id
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime import schema
from tianmen_runtime.db import make_engine
from tianmen_telemetry.adapters import tracks
from tianmen_telemetry.adapters.orm import metadata, track_points
from tianmen_telemetry.adapters.tracks import keep_points, local_day, partition_days, track_page
from tianmen_telemetry.domain.register import CHINA

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC).replace(microsecond=0)


def _report(machine: str, at: datetime) -> TerminalReported:
    return TerminalReported(
        report_id=derive_id("report", f"{machine}-terminal", at.isoformat()),
        terminal_id=f"{machine}-terminal",
        machine_id=machine,
        enterprise_id="h94-enterprise",
        reported_at=at,
        latitude=30.6531,
        longitude=113.1661,
        working=True,
    )


@pytest.fixture
def engine(new_postgres_database: Callable[[str], str]) -> Iterator[Engine]:
    made = make_engine(new_postgres_database("h94_tracks"), create_tables=False)
    schema.upgrade(made, "telemetry", metadata)  # as the migration Job leaves it
    yield made
    made.dispose()


def _keep(engine: Engine, reports: list[TerminalReported]) -> None:
    with engine.begin() as conn:
        keep_points(conn, reports)


def _where(engine: Engine) -> dict[datetime, str]:
    """Each stored position's partition, by its instant."""
    query = text("SELECT reported_at, tableoid::regclass::text FROM track_points")
    with engine.connect() as conn:
        return {at.replace(tzinfo=UTC): where for at, where in conn.execute(query)}


def _whole_track(
    engine: Engine, machine: str, since: datetime, until: datetime
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    cursor: tuple[str, ...] | None = None
    while True:
        page, following = track_page(engine, machine, since, until, cursor, 100)
        rows += page
        if following is None:
            return rows
        cursor = (page[-1]["reported_at"].isoformat(),)


def test_reports_of_several_days_land_in_their_local_days_partitions(engine: Engine) -> None:
    # 15:59:59 and 16:00:00 UTC: the last instant of one Shanghai day and the first of the next
    edge = datetime.combine(NOW.date() - timedelta(days=2), datetime.min.time(), UTC)
    instants = [edge + timedelta(hours=15, minutes=59, seconds=59), edge + timedelta(hours=16)]
    instants += [NOW - timedelta(days=1), NOW]
    _keep(engine, [_report("h94-a", at) for at in instants])

    where = _where(engine)

    assert where == {at: f"track_days.track_points_{local_day(at):%Y%m%d}" for at in instants}
    assert where[instants[0]] != where[instants[1]]


def test_a_late_report_for_a_day_without_a_partition_is_stored(engine: Engine) -> None:
    _keep(engine, [_report("h94-a", NOW)])  # the process knows today's partition now
    late = NOW - timedelta(days=5)  # the acceptance window is 7 days; nothing made this day
    with engine.connect() as conn:
        assert local_day(late) not in partition_days(conn)

    _keep(engine, [_report("h94-a", late), _report("h94-b", NOW)])

    assert _where(engine)[late] == f"track_days.track_points_{local_day(late):%Y%m%d}"
    # a transaction that wrote positions already makes the day itself (another connection
    # would wait for this one's commit)
    later = NOW - timedelta(days=4)
    with engine.begin() as conn:
        keep_points(conn, [_report("h94-c", NOW)])
        keep_points(conn, [_report("h94-c", later)])
    assert _where(engine)[later] == f"track_days.track_points_{local_day(later):%Y%m%d}"


def test_two_writers_making_the_same_day_both_store_their_reports(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    day = NOW - timedelta(days=6)
    errors: list[Exception] = []

    def write(machine: str) -> None:
        own = make_engine(url, create_tables=False)  # a process of its own: nothing known
        try:
            _keep(own, [_report(machine, day)])
        except Exception as failed:
            errors.append(failed)
        finally:
            own.dispose()

    writers = [threading.Thread(target=write, args=(f"h94-{n}",)) for n in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()

    assert errors == []
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(track_points)) == 4


def test_prune_drops_the_days_past_the_cut_and_a_kept_days_track_is_unchanged(
    engine: Engine,
) -> None:
    days_back = [100, 95, 91, 90, 89, 2]
    for machine in ("h94-a", "h94-b"):
        _keep(engine, [_report(machine, NOW - timedelta(days=d)) for d in days_back])
    day = NOW - timedelta(days=2)
    _keep(engine, [_report("h94-a", day + timedelta(seconds=30 * n)) for n in range(1, 500)])
    since, until = day - timedelta(hours=1), day + timedelta(days=1)
    before = _whole_track(engine, "h94-a", since, until)
    cut = NOW - timedelta(days=90)

    pruned = tracks.prune(engine, cut)

    # days wholly before the cut's local day go: 100, 95, 91 days back (two machines each);
    # the cut's own day is kept whole until the next run
    assert (pruned.rows, pruned.machines, pruned.days) == (6, 2, 3)
    with engine.connect() as conn:
        kept = partition_days(conn)
        left = conn.execute(select(func.min(track_points.c.reported_at))).scalar_one()
    assert min(kept) == local_day(cut)
    assert left.replace(tzinfo=UTC) >= datetime.combine(local_day(cut), datetime.min.time(), CHINA)
    assert _whole_track(engine, "h94-a", since, until) == before
    assert len(before) == 500
    assert tracks.prune(engine, cut).rows == 0
    _keep(engine, [_report("h94-c", NOW)])  # the worker still writes today's day


def test_the_migration_turns_a_table_holding_rows_into_day_partitions(
    new_postgres_database: Callable[[str], str],
) -> None:
    engine = make_engine(new_postgres_database("h94_migration"), create_tables=False)
    try:
        with schema.alembic_config(engine, "telemetry", metadata) as config:
            command.upgrade(config, "telemetry_0013")
        rows = [
            {
                "machine_id": f"h94-{m}",
                "reported_at": NOW - timedelta(days=d, minutes=m),
                "report_id": f"r-{m}-{d}",
                "latitude": 30.0 + m,
                "longitude": 113.0,
                "working": bool(m % 2),
                "engine_hours": None if m else 12.5,
                "fuel_level_pct": 40.0,
            }
            for m in range(3)
            for d in (0, 3, 40, 89)
        ]
        with engine.begin() as conn:
            conn.execute(insert(track_points), rows)  # into 0013's plain table
            assert _kind(conn) == "r"
        _keep(engine, [_report("h94-3", NOW - timedelta(days=6))])  # no partition asked for
        rows.append(
            {
                "machine_id": "h94-3",
                "reported_at": NOW - timedelta(days=6),
                "report_id": _report("h94-3", NOW - timedelta(days=6)).report_id,
                "latitude": 30.6531,
                "longitude": 113.1661,
                "working": True,
                "engine_hours": None,
                "fuel_level_pct": None,
            }
        )

        schema.upgrade(engine, "telemetry", metadata)

        with engine.connect() as conn:
            assert _kind(conn) == "p"
            stored = [dict(r._mapping) for r in conn.execute(select(track_points).order_by(*_KEY))]
            days = partition_days(conn)
        assert stored == sorted(rows, key=lambda r: (r["machine_id"], r["reported_at"]))
        today = datetime.now(CHINA).date()
        assert {today + timedelta(days=n) for n in range(8)} <= days
        instants = [NOW - timedelta(days=d, minutes=m) for m in range(3) for d in (0, 3, 40, 89)]
        instants.append(NOW - timedelta(days=6))
        assert {local_day(at) for at in instants} <= days

        with schema.alembic_config(engine, "telemetry", metadata) as config:
            command.downgrade(config, "telemetry_0013")
        with engine.connect() as conn:
            assert _kind(conn) == "r"
            assert [
                dict(r._mapping) for r in conn.execute(select(track_points).order_by(*_KEY))
            ] == stored
    finally:
        engine.dispose()


_KEY = (track_points.c.machine_id, track_points.c.reported_at)


def _kind(conn: Connection) -> str:
    """'p' for a partitioned table, 'r' for a plain one."""
    query = text("SELECT relkind FROM pg_class WHERE oid = 'track_points'::regclass")
    kind: str = conn.scalar(query)
    return kind


def test_prune_finishes_a_detach_an_interrupted_run_began(engine: Engine) -> None:
    old = NOW - timedelta(days=100)
    _keep(engine, [_report("h94-a", old), _report("h94-a", NOW)])
    name = f"track_days.track_points_{local_day(old):%Y%m%d}"
    with engine.connect() as reader:  # a transaction using the table: the detach waits for it
        reader.execute(select(func.count()).select_from(track_points))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("SET statement_timeout = '500ms'"))
            with pytest.raises(OperationalError):
                conn.execute(text(f"ALTER TABLE track_points DETACH PARTITION {name} CONCURRENTLY"))
            conn.execute(text("RESET statement_timeout"))
        reader.rollback()
    with engine.connect() as conn:
        pending = conn.scalar(
            text("SELECT inhdetachpending FROM pg_inherits WHERE inhrelid = CAST(:n AS regclass)"),
            {"n": name},
        )
    assert pending is True  # as a run killed mid-detach leaves it

    pruned = tracks.prune(engine, NOW - timedelta(days=90))

    assert (pruned.rows, pruned.days) == (1, 1)
    with engine.connect() as conn:
        assert local_day(old) not in partition_days(conn)
        assert conn.scalar(select(func.count()).select_from(track_points)) == 1
