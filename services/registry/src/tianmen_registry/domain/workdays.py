"""The Chinese working-day clock: due times counted in working days, China time (UTC+8).

A day is judged by the first source that knows its year (a schedule file the center loads,
then the `chinese-calendar` package, both wired in `adapters.calendar`); a year no source knows
falls back to Monday-Friday and the answer is marked provisional, never refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

CHINA = timezone(timedelta(hours=8))
DayLookup = Callable[[date], "bool | None"]  # True: workday; None: this source lacks the year


@dataclass(frozen=True)
class Schedule:
    """A published year schedule: holidays and adjusted working days of the years it covers."""

    years: frozenset[int]
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    def __call__(self, day: date) -> bool | None:
        if day.year not in self.years:
            return None
        if day in self.holidays or day in self.workdays:
            return day in self.workdays
        return day.weekday() < 5


@dataclass(frozen=True)
class WorkingCalendar:
    sources: tuple[DayLookup, ...]

    def is_workday(self, day: date) -> tuple[bool, bool]:
        """(is it a working day, is that provisional)."""
        for source in self.sources:
            known = source(day)
            if known is not None:
                return known, False
        return day.weekday() < 5, True


@dataclass(frozen=True)
class Due:
    at: datetime
    provisional: bool


def due_after(accepted_at: datetime, working_days: int, calendar: WorkingCalendar) -> Due:
    """The end (24:00 China time) of the `working_days`-th working day after acceptance day."""
    day, counted, provisional = accepted_at.astimezone(CHINA).date(), 0, False
    while counted < working_days:
        day += timedelta(days=1)
        workday, unsure = calendar.is_workday(day)
        provisional |= unsure
        counted += workday
    return Due(datetime.combine(day + timedelta(days=1), time(0), CHINA), provisional)


def working_days_between(start: datetime, end: datetime, calendar: WorkingCalendar) -> int:
    """Working days after `start`'s day up to and including `end`'s day (China time)."""
    first, last = start.astimezone(CHINA).date(), end.astimezone(CHINA).date()
    days = (first + timedelta(days=n) for n in range(1, (last - first).days + 1))
    return sum(calendar.is_workday(day)[0] for day in days)


def schedule_of(
    years: Iterable[int], holidays: Iterable[date], workdays: Iterable[date]
) -> Schedule:
    return Schedule(frozenset(years), frozenset(holidays), frozenset(workdays))
