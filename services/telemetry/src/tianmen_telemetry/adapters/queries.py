"""Read models for the HTTP queries and the ingest lookup; each opens its own connection."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from tianmen_runtime.pages import InvalidCursor, Key, after, page_of

from tianmen_telemetry.adapters.orm import alerts, live_states, machines
from tianmen_telemetry.domain.ingest import Binding


def bindings_for(engine: Engine, terminal_ids: Iterable[str]) -> dict[str, Binding]:
    """The bindings of those terminals that are bound; unbound ones are simply absent."""
    wanted = sorted(set(terminal_ids))
    query = select(machines).where(machines.c.terminal_id.in_(wanted))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return {row.terminal_id: Binding(row.machine_id, row.enterprise_id) for row in rows}


_same_machine = live_states.c.machine_id == machines.c.machine_id


def terminal_view(engine: Engine, terminal_id: str) -> dict[str, Any] | None:
    query = (
        select(
            machines.c.terminal_id,
            machines.c.machine_id,
            machines.c.enterprise_id,
            live_states.c.last_report_at,
            live_states.c.latitude,
            live_states.c.longitude,
            live_states.c.working,
        )
        .select_from(machines.outerjoin(live_states, _same_machine))
        .where(machines.c.terminal_id == terminal_id)
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else dict(row._mapping)


def alert_page(
    engine: Engine,
    enterprise_id: str | None,
    machine_id: str | None,
    cursor: Key | None,
    limit: int,
) -> tuple[list[dict[str, Any]], str | None]:
    """Newest first, after `cursor` (observed_at in UTC, alert_id), both descending."""
    order = (alerts.c.observed_at, alerts.c.alert_id)
    key = None if cursor is None else (_instant(cursor[0]), cursor[1])
    query = (
        select(alerts)
        .where(after(order, key, descending=True))
        .order_by(*(column.desc() for column in order))
        .limit(limit + 1)
    )
    if enterprise_id is not None:
        query = query.where(alerts.c.enterprise_id == enterprise_id)
    if machine_id is not None:
        query = query.where(alerts.c.machine_id == machine_id)
    with engine.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(query)]
    return page_of(rows, limit, lambda row: (row["observed_at"].isoformat(), row["alert_id"]))


def _instant(value: object) -> datetime:
    try:
        instant = datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise InvalidCursor from exc
    if instant.tzinfo is None:
        raise InvalidCursor
    return instant
