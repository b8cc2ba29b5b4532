"""The machines' daily usage as the worker keeps it (`machine_day_usage`): each report's step of
the usage fold, added up per machine and local day in the transaction and written once before
its commit, one upsert that adds to what is kept; and what the HTTP edge reads of it.

A unit of work's part (`uow.part(UsageDays, UsageDays)`): a rolled-back batch leaves nothing.

The fuel used is kept in millilitres too (`fuel_used_ml`, decision 120): each report's drop in
level points times the machine's tank in force at the report's time, among the tanks the log
recorded before the report (`machine_tanks`), so an amended tank levels the reports made after
it and leaves the days before as they were, and a replay levels each report with the tanks it
was levelled with live. The tanks are read at the flush, once, only for the machines whose
level fell in the transaction (most reports: none).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Select, Subquery, func, select
from sqlalchemy.dialects import postgresql, sqlite
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime.driver_sql import execute_columns

from tianmen_telemetry.adapters.among import among, ids_for, per_dialect
from tianmen_telemetry.adapters.orm import machine_day_usage, machine_tanks
from tianmen_telemetry.adapters.timeline import recorded_before
from tianmen_telemetry.domain.live_state import LiveState
from tianmen_telemetry.domain.tanks import tank_at
from tianmen_telemetry.domain.usage import Units, steps_from

_ADDED = ("operating_us", "idle_us", "fuel_used_mpct", "fuel_used_ml", "windows")
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
        # the drops to level: machine, day, report's instant (UTC), recorded (ms), mpct
        self._drops: list[tuple[str, date, datetime, int | None, int]] = []

    def count(
        self, before: LiveState | None, report: TerminalReported, recorded: int | None = None
    ) -> None:
        """The report's step from the machine's state before it (a report not newer than the
        state counts nothing); a drop in level is kept to be levelled in litres at the flush
        with the tanks recorded before the report (`recorded`, ms)."""
        machine, days = report.machine_id, self._days
        steps = steps_from(before, report)
        for day, units in steps:
            held = days.get((machine, day))
            days[machine, day] = units if held is None else _plus(held, units)
        if steps and steps[0][1][2]:  # the level fell: the drop is the first part's
            at = report.reported_at.astimezone(UTC)
            self._drops.append((machine, steps[0][0], at, recorded, steps[0][1][2]))

    def flush(self) -> None:
        """One row a machine and day (a dict literal a row: zipping column names cost ~1 us)."""
        litres = self._litres()
        rows = [
            {
                "machine_id": machine_id,
                "day": day,
                "operating_us": operating,
                "idle_us": idle,
                "fuel_used_mpct": fuel,
                "fuel_used_ml": litres.get((machine_id, day), 0),
                "windows": windows,
                "longest_window_us": longest,
            }
            for (machine_id, day), (operating, idle, fuel, windows, longest) in self._days.items()
        ]
        execute_columns(self.conn, _SAVE[self.conn.dialect.name], rows)
        self._days.clear()

    def _litres(self) -> dict[tuple[str, date], int]:
        """Each day's drops in millilitres: thousandths of a percent times the tank in force at
        each report's time, rounded once a report."""
        drops, self._drops = self._drops, []
        if not drops:
            return {}
        tanks = tanks_by_machine(self.conn, {drop[0] for drop in drops})
        found: dict[tuple[str, date], int] = {}
        for machine, day, at, recorded, mpct in drops:
            tank = tank_for(tanks.get(machine, ()), at, recorded)
            if tank is not None:
                found[machine, day] = found.get((machine, day), 0) + round(mpct * tank / 100)
        return found


Tank = tuple[datetime | None, str, float, int | None]
"""(from when, None: ever; event id; litres; recorded ms)."""


def tanks_by_machine(conn: Connection, machine_ids: set[str]) -> dict[str, list[Tank]]:
    """The machines' tanks, each machine's in force order: the registered one first, then by
    time and event id."""
    dialect = conn.dialect.name
    found: dict[str, list[Tank]] = {}
    for machine_id, *tank in conn.execute(_TANKS[dialect], ids_for(dialect, machine_ids)):
        found.setdefault(machine_id, []).append(tuple(tank))
    for tanks in found.values():
        tanks.sort(key=_in_force_order)
    return found


def tank_for(tanks: Sequence[Tank], at: datetime, recorded: int | None) -> float | None:
    """The capacity in force at `at` among those recorded before `recorded` (`tank_at`'s rule
    over the tanks the log held by then; None: none, as before a tank given only by a later
    amendment)."""
    return tank_at(
        (
            (since, capacity)
            for since, _, capacity, stamp in tanks
            if recorded_before(stamp, recorded)
        ),
        at,
    )


def _in_force_order(tank: Tank) -> tuple[bool, datetime, str]:
    return (tank[0] is not None, tank[0] or _EVER, tank[1])


_EVER = datetime.min.replace(tzinfo=UTC)
_TANKS = per_dialect(
    lambda d: select(
        machine_tanks.c.machine_id,
        machine_tanks.c.valid_from,
        machine_tanks.c.event_id,
        machine_tanks.c.litres,
        machine_tanks.c.recorded_ms,
    ).where(among(machine_tanks.c.machine_id, d))
)


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
    """Per machine of `machine_ids`: idle microseconds and fuel used (thousandths of a %, and
    millilitres) over all its days."""
    return (
        select(
            machine_day_usage.c.machine_id,
            func.sum(machine_day_usage.c.idle_us).label("idle_us"),
            func.sum(machine_day_usage.c.fuel_used_mpct).label("fuel_used_mpct"),
            func.sum(machine_day_usage.c.fuel_used_ml).label("fuel_used_ml"),
        )
        .where(machine_day_usage.c.machine_id.in_(machine_ids))
        .group_by(machine_day_usage.c.machine_id)
        .subquery()
    )
