"""The working-day calendar's sources: a schedule file, then the `chinese-calendar` package.

The schedule file (JSON) is what the center loads when the State Council publishes a year:
``{"2027": {"holidays": ["2027-01-01", ...], "workdays": ["2027-02-06", ...]}}``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import chinese_calendar

from tianmen_registry.domain.workdays import Schedule, WorkingCalendar, schedule_of


def package_lookup(day: date) -> bool | None:
    """The package's answer, or None for a year it has no data for."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def load_schedule(text: str) -> Schedule:
    doc = json.loads(text)
    return schedule_of(
        (int(year) for year in doc),
        (date.fromisoformat(day) for year in doc.values() for day in year.get("holidays", [])),
        (date.fromisoformat(day) for year in doc.values() for day in year.get("workdays", [])),
    )


def working_calendar(schedule_file: Path | None = None) -> WorkingCalendar:
    """The schedule file first (it may correct or extend the package), then the package."""
    if schedule_file is None:
        return WorkingCalendar((package_lookup,))
    schedule = load_schedule(schedule_file.read_text(encoding="utf-8"))
    return WorkingCalendar((schedule, package_lookup))
