"""Machines' tracks: every position kept (once per machine and instant), read a page at a time,
and pruned past the retention.

On PostgreSQL the table is partitioned by the report's local day (Asia/Shanghai, decision 112):
one partition a day, in the schema `track_days` (so the service's own tables stay the ones its
migrations name), made ahead by `prune-tracks` and on demand before a batch holding a day
without one is written; retention drops whole days. On SQLite it is one table, pruned in
batched deletes (decision 105).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, column, delete, func, select, table, text
from sqlalchemy.dialects import postgresql, sqlite
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime.db import WRITE_INTENT
from tianmen_runtime.driver_sql import execute_columns
from tianmen_runtime.pages import Key, after, page_of

from tianmen_telemetry.adapters.orm import track_points
from tianmen_telemetry.adapters.queries import instant
from tianmen_telemetry.domain.register import CHINA

_KEEP = {
    "postgresql": postgresql.insert(track_points).on_conflict_do_nothing(),
    "sqlite": sqlite.insert(track_points).on_conflict_do_nothing(),
}


def keep_points(conn: Connection, reports: Sequence[TerminalReported]) -> None:
    """Idempotent, in one statement: a redelivered report (same machine and instant) is kept
    once."""
    if not reports:
        return
    if conn.dialect.name == "postgresql":
        _ensure_days_of(conn, reports)
    execute_columns(
        conn,
        _KEEP[conn.dialect.name],
        [
            {
                "machine_id": r.machine_id,
                "reported_at": r.reported_at,
                "report_id": r.report_id,
                "latitude": r.latitude,
                "longitude": r.longitude,
                "working": r.working,
                "engine_hours": r.engine_hours,
                "fuel_level_pct": r.fuel_level_pct,
            }
            for r in reports
        ],
    )


def track_page(
    engine: Engine,
    machine_id: str,
    since: datetime,
    until: datetime,
    cursor: Key | None,
    limit: int,
) -> tuple[list[dict[str, Any]], str | None]:
    """The machine's positions in [since, until), oldest first, after `cursor` (the time)."""
    order = (track_points.c.reported_at,)
    key = None if cursor is None else (instant(cursor[0]),)
    query = (
        select(track_points)
        .where(track_points.c.machine_id == machine_id)
        .where(track_points.c.reported_at >= since, track_points.c.reported_at < until)
        .where(after(order, key, descending=False))
        .order_by(track_points.c.reported_at)
        .limit(limit + 1)
    )
    with engine.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(query)]
    return page_of(rows, limit, lambda row: (row["reported_at"].isoformat(),))


PRUNE_BATCH = 5_000
"""Positions one prune transaction deletes at most: on SQLite the worker waits for the store's
one writer no longer than such a batch takes; on PostgreSQL no transaction holds millions of
dead rows (and their WAL) at once."""


@dataclass(frozen=True)
class Pruned:
    rows: int  # positions deleted
    machines: int  # machines that had positions older than the cut
    batches: int  # transactions that deleted
    days: int = 0  # day partitions dropped (PostgreSQL)


def prune(engine: Engine, before: datetime, batch: int = PRUNE_BATCH) -> Pruned:
    """Drop positions older than `before` (retention); idempotent (a second run finds nothing).

    On SQLite, machine by machine along the primary key, at most `batch` rows a transaction.
    On PostgreSQL, every local day that ended at or before `before` as a whole partition: the
    day `before` falls in is kept whole until the next run (at most a day more than the
    retention; no row is deleted one by one)."""
    if batch < 1:
        raise ValueError("batch must be at least 1")
    if is_partitioned(engine):
        return _drop_days(engine, local_day(before))
    rows = machines = batches = 0
    machine = _next_machine(engine, None)
    while machine is not None:
        if _has_points_before(engine, machine, before):
            machines += 1
            while True:
                with engine.connect() as conn:
                    # on SQLite, BEGIN IMMEDIATE: a batch reads before it deletes, and a read
                    # transaction that turns writer fails at once while the worker writes
                    conn.execution_options(**WRITE_INTENT)
                    with conn.begin():
                        gone = _prune_batch(conn, machine, before, batch)
                rows, batches = rows + gone, batches + 1
                if gone < batch:
                    break
        machine = _next_machine(engine, machine)
    return Pruned(rows, machines, batches)


def _next_machine(engine: Engine, after_machine: str | None) -> str | None:
    """The machine after `after_machine` with any position: one seek on the primary key, so a
    walk of every machine costs one seek each, not a scan of all their positions."""
    query = select(track_points.c.machine_id).order_by(track_points.c.machine_id).limit(1)
    if after_machine is not None:
        query = query.where(track_points.c.machine_id > after_machine)
    with engine.connect() as conn:
        found: str | None = conn.scalar(query)
    return found


def _has_points_before(engine: Engine, machine: str, before: datetime) -> bool:
    own = track_points.c.machine_id == machine
    query = select(track_points.c.reported_at).where(own, track_points.c.reported_at < before)
    with engine.connect() as conn:
        return conn.scalar(query.limit(1)) is not None


def _prune_batch(conn: Connection, machine: str, before: datetime, batch: int) -> int:
    """The machine's `batch` oldest positions before the cut (all of them if fewer)."""
    at = track_points.c.reported_at
    own = track_points.c.machine_id == machine
    last = conn.scalar(select(at).where(own, at < before).order_by(at).offset(batch - 1).limit(1))
    bound = at < before if last is None else at <= last
    gone: int = conn.execute(delete(track_points).where(own, bound)).rowcount
    return gone


# PostgreSQL: one partition a local day (decision 112).

PARTITIONS = "track_days"
"""The schema holding the day partitions of `track_points` (the parent stays in the service's
own schema, with the tables its migrations name)."""

AHEAD_DAYS = 7
"""Days made ahead of today by `prune-tracks` (a daily job: a week of slack if it stops)."""

_LOCK = 0x7472_6163_6B73  # pg_advisory_xact_lock: one session makes partitions at a time


def local_day(at: datetime) -> date:
    """The report's local day (Asia/Shanghai): the partition it lands in."""
    return at.astimezone(CHINA).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The local day's instants, [start, end), as the table stores them (UTC, naive)."""
    start = datetime.combine(day, time(), CHINA).astimezone(UTC).replace(tzinfo=None)
    return start, start + timedelta(days=1)  # China keeps no summer time: 24 h every day


def partition_name(day: date) -> str:
    return f"track_points_{day:%Y%m%d}"


def _days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


_KNOWN_DAYS: weakref.WeakKeyDictionary[Engine, set[date]] = weakref.WeakKeyDictionary()


def _known(engine: Engine) -> set[date]:
    """The days this process knows a partition of (only ever added to: a day dropped by the
    retention is 90 days old, far outside the acceptance window of a report)."""
    return _KNOWN_DAYS.setdefault(engine, set())


_PLAIN: weakref.WeakSet[Engine] = weakref.WeakSet()
"""PostgreSQL stores whose `track_points` is one table (not migrated to telemetry_0014)."""

_RELKIND = text("SELECT relkind FROM pg_class WHERE oid = to_regclass('track_points')")


def is_partitioned(engine: Engine) -> bool:
    """Whether `track_points` is partitioned by day (PostgreSQL since migration 0014)."""
    if engine.dialect.name != "postgresql":
        return False
    with engine.connect() as conn:
        return _is_partitioned(conn)


def _is_partitioned(conn: Connection) -> bool:
    return bool(conn.scalar(_RELKIND) == "p")


_PARTITIONS = text(
    "SELECT c.relname, i.inhdetachpending FROM pg_inherits i "
    "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'track_points'::regclass"
)


def partition_days(conn: Connection) -> set[date]:
    """The days `track_points` has a partition of."""
    return set(_partitions(conn))


def _partitions(conn: Connection) -> dict[date, bool]:
    """Each day's partition: whether a detach of it was begun and not finished."""
    return {date.fromisoformat(name[-8:]): pending for name, pending in conn.execute(_PARTITIONS)}


def ensure_days(engine: Engine, days: Iterable[date]) -> None:
    """A partition for each of `days`, made in a short transaction of its own (committed
    before the caller's batch is written); a day made already is left."""
    wanted = set(days)
    with engine.begin() as conn:
        made = _make_days(conn, wanted)
    _known(engine).update(made | wanted)


def _make_days(conn: Connection, wanted: set[date]) -> set[date]:
    """The partitions of `wanted` not made yet, made in `conn`'s transaction, one maker at a
    time (the advisory lock); the days made before, returned."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
    made = partition_days(conn)
    missing = sorted(wanted - made)
    if missing:
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {PARTITIONS}"))
    for day in missing:
        start, end = day_bounds(day)
        conn.execute(
            text(
                f"CREATE TABLE {PARTITIONS}.{partition_name(day)} PARTITION OF track_points "
                f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
            )
        )
    return made


def _holds_tracks(conn: Connection) -> bool:
    """Whether `conn`'s transaction has written (or read) `track_points` already: a partition
    made on another connection would then wait for this one's commit, which waits for it."""
    query = text(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = pg_backend_pid() "
        "AND relation = 'track_points'::regclass)"
    )
    held: bool = conn.scalar(query)
    return held


def _ensure_days_of(conn: Connection, reports: Sequence[TerminalReported]) -> None:
    """The batch's days have partitions: two instants (its first and last) looked at when it
    falls in one day, as a batch of a poll nearly always does."""
    if conn.engine in _PLAIN:
        return
    first = local_day(min(r.reported_at for r in reports))
    last = local_day(max(r.reported_at for r in reports))
    days = {first} if first == last else {local_day(r.reported_at) for r in reports}
    if _known(conn.engine).issuperset(days):
        return
    if not _is_partitioned(conn):  # a store not migrated yet (before telemetry_0014)
        _PLAIN.add(conn.engine)
        return
    if _holds_tracks(conn):
        # made in the caller's transaction; not remembered, as it may yet roll back
        _make_days(conn, days)
    else:
        ensure_days(conn.engine, days)


def make_days_ahead(engine: Engine, now: datetime, ahead: int = AHEAD_DAYS) -> None:
    """Today's partition and the next `ahead` days' (nothing on SQLite)."""
    if is_partitioned(engine):
        today = local_day(now)
        ensure_days(engine, _days_between(today, today + timedelta(days=ahead)))


def _drop_days(engine: Engine, first_kept: date) -> Pruned:
    """Every day partition before `first_kept`, counted (rows, machines), detached
    concurrently, then dropped. A plain DROP would take the parent's exclusive lock, and the
    workers' inserts would queue behind it (up to the lock timeout) while it waited for their
    transactions; DETACH ... CONCURRENTLY waits for them without blocking anyone, and the table
    it leaves is nobody's partition. A detach an interrupted run began is finished first."""
    with engine.connect() as conn:
        old = {day: pending for day, pending in _partitions(conn).items() if day < first_kept}
    rows, machines = 0, set[str]()
    for day, pending in sorted(old.items()):
        name = f"{PARTITIONS}.{partition_name(day)}"
        part = table(partition_name(day), column("machine_id"), schema=PARTITIONS)
        with engine.connect() as conn:
            by = part.c.machine_id
            counts = conn.execute(select(by, func.count()).group_by(by)).all()
        rows += sum(count for _, count in counts)
        machines.update(machine for machine, _ in counts)
        how = "FINALIZE" if pending else "CONCURRENTLY"
        # outside a transaction block, as DETACH ... CONCURRENTLY must be
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"ALTER TABLE track_points DETACH PARTITION {name} {how}"))
            conn.execute(text(f"DROP TABLE {name}"))
        _known(engine).discard(day)
    return Pruned(rows, len(machines), batches=0, days=len(old))
