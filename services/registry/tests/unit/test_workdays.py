"""The 2-working-day clock on the Chinese calendar: holidays, adjusted Saturdays, unknown years."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from tianmen_registry.adapters.calendar import working_calendar
from tianmen_registry.domain.workdays import CHINA, Due, due_after, working_days_between

CALENDAR = working_calendar()


def at(day: str, hour: int = 10) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), CHINA).replace(hour=hour)


def test_two_working_days_after_a_tuesday_end_on_thursday_night() -> None:
    assert due_after(at("2026-05-12"), 2, CALENDAR) == Due(at("2026-05-15", 0), False)


def test_national_day_2026_is_skipped() -> None:
    # Accepted the last working day before the holiday (Oct 1-7): due at the end of Oct 9.
    assert due_after(at("2026-09-30"), 2, CALENDAR) == Due(at("2026-10-10", 0), False)


def test_the_adjusted_working_saturday_after_national_day_counts() -> None:
    # Fri Oct 9 -> Sat Oct 10 (a working day in 2026) and Mon Oct 12: due the end of Oct 12.
    assert due_after(at("2026-10-09"), 2, CALENDAR) == Due(at("2026-10-13", 0), False)


def test_acceptance_late_at_night_utc_is_counted_on_the_china_date() -> None:
    # 2026-10-09 17:00 UTC is already Saturday Oct 10, 01:00 in China.
    late = datetime.fromisoformat("2026-10-09T17:00:00+00:00")
    assert due_after(late, 2, CALENDAR) == Due(at("2026-10-14", 0), False)


def test_a_due_date_in_a_year_the_package_does_not_know_is_provisional_not_a_crash() -> None:
    due = due_after(at("2027-03-03"), 2, CALENDAR)
    assert due == Due(at("2027-03-06", 0), True)


def test_crossing_into_an_unknown_year_marks_the_due_time_provisional() -> None:
    # Dec 31 2026 is known; Jan 1 2027 is not, and the fallback counts it as a weekday.
    assert due_after(at("2026-12-30"), 2, CALENDAR) == Due(at("2027-01-02", 0), True)


def test_a_loaded_schedule_for_2027_makes_the_answer_exact(tmp_path: Path) -> None:
    schedule = tmp_path / "schedule.json"
    schedule.write_text('{"2027": {"holidays": ["2027-01-01"], "workdays": []}}')
    calendar = working_calendar(schedule)
    assert due_after(at("2026-12-30"), 2, calendar) == Due(at("2027-01-05", 0), False)


def test_a_schedule_file_may_add_an_adjusted_working_weekend_day(tmp_path: Path) -> None:
    schedule = tmp_path / "schedule.json"
    schedule.write_text('{"2027": {"workdays": ["2027-03-06"]}}')
    due = due_after(at("2027-03-04"), 2, working_calendar(schedule))
    assert due == Due(at("2027-03-07", 0), False)


def test_working_days_between_skip_the_holiday() -> None:
    assert working_days_between(at("2026-09-30"), at("2026-10-09"), CALENDAR) == 2
    assert working_days_between(at("2026-05-12"), at("2026-05-12", 18), CALENDAR) == 0
