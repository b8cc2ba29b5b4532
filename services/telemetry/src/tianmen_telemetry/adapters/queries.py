"""Read models for the HTTP queries and the ingest lookup; each opens its own connection."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine, select

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


def list_alerts(
    engine: Engine, enterprise_id: str | None, machine_id: str | None, limit: int
) -> list[dict[str, Any]]:
    """Newest first."""
    query = select(alerts).order_by(alerts.c.observed_at.desc(), alerts.c.alert_id).limit(limit)
    if enterprise_id is not None:
        query = query.where(alerts.c.enterprise_id == enterprise_id)
    if machine_id is not None:
        query = query.where(alerts.c.machine_id == machine_id)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
