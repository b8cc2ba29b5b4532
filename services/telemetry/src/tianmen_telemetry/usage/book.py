"""The usage fold's state as plain mappings, so a Faust table or a dict can hold it: a machine's
carry under its id, a machine-day's usage under `machine_id|YYYY-MM-DD` (a tumbling day window
by event time, keyed so it stays on the machine's partition)."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import asdict, fields
from datetime import date, datetime
from typing import Any

from tianmen_events import decode
from tianmen_events.telemetry import TerminalReported

from tianmen_telemetry.domain.usage import Carry, DayUsage, fold

Json = dict[str, Any]


def day_key(machine_id: str, day: date) -> str:
    return f"{machine_id}|{day.isoformat()}"


def carry_to_json(carry: Carry) -> Json:
    run_start = carry.run_start.isoformat() if carry.run_start else None
    return {**asdict(carry), "at": carry.at.isoformat(), "run_start": run_start}


def carry_of(data: Json) -> Carry:
    run_start = datetime.fromisoformat(data["run_start"]) if data["run_start"] else None
    return Carry(**{**data, "at": datetime.fromisoformat(data["at"]), "run_start": run_start})


def usage_of(data: Json | None) -> DayUsage:
    return DayUsage(**data) if data else DayUsage()


USAGE_FIELDS = tuple(f.name for f in fields(DayUsage))


def add(
    carries: MutableMapping[str, Json], days: MutableMapping[str, Json], report: TerminalReported
) -> bool:
    """Fold one report into the tables; False when it counted nothing (not newer)."""
    held = carries.get(report.machine_id)
    step = fold(carry_of(held) if held else None, report)
    if step is None:
        return False
    carries[report.machine_id] = carry_to_json(step.carry)
    for day, usage in step.parts:
        key = day_key(report.machine_id, day)
        days[key] = asdict(usage_of(days.get(key)).plus(usage))
    return True


def add_record(
    carries: MutableMapping[str, Json],
    days: MutableMapping[str, Json],
    headers: Any,
    value: bytes | None,
) -> bool:
    """Decode our envelope; anything but a report counts nothing."""
    event, _ = decode(headers, value)
    return isinstance(event, TerminalReported) and add(carries, days, event)
