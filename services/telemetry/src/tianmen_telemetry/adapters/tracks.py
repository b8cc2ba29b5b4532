"""Machines' tracks: every position kept (once per machine and instant), read a page at a time,
and pruned past the retention."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from tianmen_events.telemetry import TerminalReported
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


def prune(engine: Engine, before: datetime) -> int:
    """Drop positions older than `before` (retention); how many went."""
    with engine.begin() as conn:
        return conn.execute(
            delete(track_points).where(track_points.c.reported_at < before)
        ).rowcount
