"""Accidents: recorded with date, machine, enterprise, grade and casualties; the count in a
period and its change against the same period a year earlier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from tianmen_events import derive_id
from tianmen_events.errors import DomainError
from tianmen_events.safety.cases import docket_of
from tianmen_events.safety.inspections import AccidentRecorded, AccidentSeverity


@dataclass(frozen=True)
class Accident:
    enterprise_id: str
    machine_id: str
    occurred_at: datetime
    severity: AccidentSeverity
    deaths: int
    injuries: int
    description: str
    jurisdiction: str | None = None


def record(accident: Accident, *, actor: str) -> AccidentRecorded:
    if not accident.description.strip():
        raise DomainError("describe the accident", field="description")
    if accident.deaths < 0 or accident.injuries < 0:
        raise DomainError("casualties are counted from 0", field="deaths")
    when = accident.occurred_at.isoformat()
    return AccidentRecorded(
        **vars(accident),
        docket_id=docket_of(accident.enterprise_id),
        accident_id=derive_id("accident", accident.machine_id, when),
        actor=actor,
    )


SHANGHAI = timezone(timedelta(hours=8))


def year_start(at: datetime) -> datetime:
    """The start of `at`'s calendar year in Asia/Shanghai."""
    return datetime(at.astimezone(SHANGHAI).year, 1, 1, tzinfo=SHANGHAI)


def year_earlier(at: datetime) -> datetime:
    """The same moment a year before (29 February falls back to the 28th)."""
    try:
        return at.replace(year=at.year - 1)
    except ValueError:
        return at.replace(year=at.year - 1, day=28)


@dataclass(frozen=True)
class YearOnYear:
    count: int
    previous: int
    change: float | None
    """(count - previous) / previous; None when there was none a year earlier."""


def year_on_year(count: int, previous: int) -> YearOnYear:
    change = None if previous == 0 else round((count - previous) / previous, 4)
    return YearOnYear(count, previous, change)
