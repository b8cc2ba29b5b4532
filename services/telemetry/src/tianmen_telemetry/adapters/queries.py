"""Read models for the HTTP queries and the ingest lookup; each opens its own connection."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Row, and_, select
from tianmen_runtime.pages import InvalidCursor, Key, after, page_of

from tianmen_telemetry.adapters.orm import (
    alerts,
    findings,
    live_states,
    machines,
    terminal_bindings,
)
from tianmen_telemetry.domain.bindings import Binding, Holder, Period


def bindings_for(engine: Engine, terminal_ids: Iterable[str]) -> dict[str, Binding]:
    """The bindings, with their history, of those terminals that are bound now or were (a
    terminal on no machine now has no current machine: its history still charges a report
    dated before it left); terminals never bound are simply absent."""
    wanted = sorted(set(terminal_ids))
    current = select(machines).where(machines.c.terminal_id.in_(wanted))
    held = select(terminal_bindings).where(terminal_bindings.c.terminal_id.in_(wanted))
    with engine.connect() as conn:
        rows = conn.execute(current).all()
        periods = conn.execute(held).all()
    history: dict[str, list[Period]] = {}
    for period in periods:
        history.setdefault(period.terminal_id, []).append(_period(period))
    found = {
        terminal_id: Binding(None, None, _newest_first(kept))
        for terminal_id, kept in history.items()
    }
    for row in rows:
        kept = _newest_first(history.get(row.terminal_id, []))
        found[row.terminal_id] = Binding(row.machine_id, row.enterprise_id, kept)
    return found


def _period(row: Row[Any]) -> Period:
    holder = None if row.machine_id is None else Holder(row.machine_id, row.enterprise_id)
    return Period(row.valid_from, holder)


def _newest_first(periods: list[Period]) -> tuple[Period, ...]:
    """By start, newest first; the open first period (no start) last."""
    return tuple(sorted(periods, key=lambda p: p.valid_from or _SINCE_EVER, reverse=True))


_SINCE_EVER = datetime.min.replace(tzinfo=UTC)


# The machine's last report, only if this terminal sent it (not the one the machine had before).
_same_machine = and_(
    live_states.c.machine_id == machines.c.machine_id,
    live_states.c.terminal_id == machines.c.terminal_id,
)


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
    key = None if cursor is None else (instant(cursor[0]), cursor[1])
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


def instant(value: object) -> datetime:
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise InvalidCursor from exc
    if at.tzinfo is None:
        raise InvalidCursor
    return at


def list_findings(engine: Engine, machine_id: str | None, limit: int) -> list[dict[str, Any]]:
    """Data-quality findings, newest first."""
    query = select(findings).order_by(findings.c.observed_at.desc()).limit(limit)
    if machine_id is not None:
        query = query.where(findings.c.machine_id == machine_id)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
