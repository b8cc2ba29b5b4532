"""The machines' daily usage as the worker keeps it (`machine_day_usage`): each report's step of
the usage fold, added up per machine and local day in the transaction and written once before
its commit, one upsert that adds to what is kept; and what the HTTP edge reads of it.

A unit of work's part (`uow.part(UsageDays, UsageDays)`): a rolled-back batch leaves nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, Select, Subquery, func, select
from sqlalchemy.dialects import postgresql, sqlite
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime.driver_sql import execute_columns

from tianmen_telemetry.adapters.orm import machine_day_usage
from tianmen_telemetry.domain.live_state import LiveState
from tianmen_telemetry.domain.usage import Units, steps_from

_ADDED = ("operating_us", "idle_us", "fuel_used_mpct", "windows")
_SAVE = {
    name: (upsert := dialect.insert(machine_day_usage)).on_conflict_do_update(
        index_elements=[machine_day_usage.c.machine_id, machine_day_usage.c.day],
        set_={
            **{c: machine_day_usage.c[c] + upsert.excluded[c] for c in _ADDED},
            "longest_window_us": greatest(
                machine_day_usage.c.longest_window_us, upsert.excluded.longest_window_us
            ),
        },
    )
    for name, dialect, greatest in (
        ("postgresql", postgresql, func.greatest),
        ("sqlite", sqlite, func.max),  # SQLite's max of two arguments is the greater
    )
}


class UsageDays:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._days: dict[tuple[str, date], Units] = {}

    def count(self, before: LiveState | None, report: TerminalReported) -> None:
        """The report's step from the machine's state before it (a report not newer than the
        state counts nothing)."""
        machine, days = report.machine_id, self._days
        for day, units in steps_from(before, report):
            held = days.get((machine, day))
            days[machine, day] = units if held is None else _plus(held, units)

    def flush(self) -> None:
        """One row a machine and day (a dict literal a row: zipping column names cost ~1 us)."""
        rows = [
            {
                "machine_id": machine_id,
                "day": day,
                "operating_us": operating,
                "idle_us": idle,
                "fuel_used_mpct": fuel,
                "windows": windows,
                "longest_window_us": longest,
            }
            for (machine_id, day), (operating, idle, fuel, windows, longest) in self._days.items()
        ]
        execute_columns(self.conn, _SAVE[self.conn.dialect.name], rows)
        self._days.clear()


def _plus(held: Units, units: Units) -> Units:
    """Two steps of one machine and day: times, fuel and windows added, the longest window kept."""
    operating, idle, fuel, windows, longest = held
    return (
        operating + units[0],
        idle + units[1],
        fuel + units[2],
        windows + units[3],
        max(longest, units[4]),
    )


def days_of(engine: Engine, machine_id: str, first: date, last: date) -> list[dict[str, Any]]:
    """The machine's days in [first, last] that anything was folded into, oldest first."""
    query = (
        select(machine_day_usage)
        .where(machine_day_usage.c.machine_id == machine_id)
        .where(machine_day_usage.c.day.between(first, last))
        .order_by(machine_day_usage.c.day)
    )
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def totals_query(machine_ids: Select[Any]) -> Subquery:
    """Per machine of `machine_ids`: idle microseconds and fuel used (thousandths of a %) over all its days."""
    return (
        select(
            machine_day_usage.c.machine_id,
            func.sum(machine_day_usage.c.idle_us).label("idle_us"),
            func.sum(machine_day_usage.c.fuel_used_mpct).label("fuel_used_mpct"),
        )
        .where(machine_day_usage.c.machine_id.in_(machine_ids))
        .group_by(machine_day_usage.c.machine_id)
        .subquery()
    )
