"""Machines' tracks: every position kept (once per machine and instant), read a page at a time,
and pruned past the retention."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime.db import WRITE_INTENT
from tianmen_runtime.driver_sql import execute_columns
from tianmen_runtime.pages import Key, after, page_of

from tianmen_telemetry.adapters.orm import track_points
from tianmen_telemetry.adapters.queries import instant

_KEEP = {
    "postgresql": postgresql.insert(track_points).on_conflict_do_nothing(),
    "sqlite": sqlite.insert(track_points).on_conflict_do_nothing(),
}


def keep_points(conn: Connection, reports: Sequence[TerminalReported]) -> None:
    """Idempotent, in one statement: a redelivered report (same machine and instant) is kept
    once."""
    if not reports:
        return
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


def prune(engine: Engine, before: datetime, batch: int = PRUNE_BATCH) -> Pruned:
    """Drop positions older than `before` (retention), machine by machine along the primary
    key, at most `batch` rows a transaction; idempotent (a second run finds nothing)."""
    if batch < 1:
        raise ValueError("batch must be at least 1")
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
