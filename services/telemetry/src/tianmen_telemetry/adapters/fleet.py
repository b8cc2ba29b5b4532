"""The fleet as other tools read it: each machine's identity with its latest state, and how
many terminals are online per jurisdiction."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, case, func, select

from tianmen_telemetry.adapters.orm import live_states, machines
from tianmen_telemetry.adapters.usage_days import totals_query

# A terminal is online while it reported in the last ONLINE_WINDOW (JT/T 808 terminals report
# every 30 s while working and heartbeat while parked; a few missed reports are not offline).
ONLINE_WINDOW = timedelta(minutes=10)


def fleet_of(engine: Engine, enterprise_id: str) -> list[dict[str, Any]]:
    """The enterprise's machines with their latest state and their idle microseconds and fuel
    used over all their days (None where nothing reported)."""
    usage = totals_query(
        select(machines.c.machine_id).where(machines.c.enterprise_id == enterprise_id)
    )
    query = (
        select(
            machines.c.machine_id,
            machines.c.brand,
            machines.c.model,
            machines.c.serial_number,
            machines.c.fuel_tank_litres,
            live_states.c.last_report_at,
            live_states.c.latitude,
            live_states.c.longitude,
            live_states.c.engine_hours,
            live_states.c.fuel_level_pct,
            live_states.c.odometer_km,
            live_states.c.odometer_at,
            usage.c.idle_us,
            usage.c.fuel_used_mpct,
            usage.c.fuel_used_ml,
        )
        .select_from(
            machines.outerjoin(
                live_states, live_states.c.machine_id == machines.c.machine_id
            ).outerjoin(usage, usage.c.machine_id == machines.c.machine_id)
        )
        .where(machines.c.enterprise_id == enterprise_id)
        .order_by(machines.c.machine_id)
    )
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def terminals_online(engine: Engine, now: datetime) -> list[dict[str, Any]]:
    """Per jurisdiction: bound terminals that reported within ONLINE_WINDOW, and the others."""
    recent = live_states.c.last_report_at >= now - ONLINE_WINDOW
    online = func.sum(case((recent, 1), else_=0))
    query = (
        select(machines.c.jurisdiction, func.count().label("bound"), online.label("online"))
        .select_from(
            machines.outerjoin(live_states, live_states.c.machine_id == machines.c.machine_id)
        )
        .where(machines.c.terminal_id.is_not(None))
        .group_by(machines.c.jurisdiction)
        .order_by(machines.c.jurisdiction)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        {
            "jurisdiction": r.jurisdiction,
            "online": r.online or 0,
            "offline": r.bound - (r.online or 0),
        }
        for r in rows
    ]
