"""Per-machine daily usage, given/when/then: given a machine's reports in event time, then its
operating and idle hours, fuel used and continuous-work windows per local day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tianmen_telemetry.domain.live_state import LiveState, evolve
from tianmen_telemetry.domain.register import CHINA
from tianmen_telemetry.domain.usage import (
    Carry,
    DayUsage,
    _LocalDays,
    carry_of_state,
    fold,
    in_units,
    steps_from,
)
from tianmen_telemetry.usage.book import Json, add

from ..helpers import at, reported

MORNING = at("2026-05-11T08:00:00")
MOVED = {"latitude": 30.6541}  # 111 m north


def usage_of(*reports: tuple[datetime, dict[str, Any]]) -> dict[str, Json]:
    carries: dict[str, Json] = {}
    days: dict[str, Json] = {}
    for when, fields in reports:
        add(carries, days, reported(when, **fields))
    return days


def minutes(start: datetime, *steps: tuple[int, dict[str, Any]]) -> list[tuple[datetime, Any]]:
    return [(start + timedelta(minutes=m), fields) for m, fields in steps]


def day(days: dict[str, Json], on: date = date(2026, 5, 11)) -> DayUsage:
    return DayUsage(**days[f"machine-1|{on.isoformat()}"])


def test_working_standing_then_moving_counts_operating_and_idle_hours_and_fuel() -> None:
    days = usage_of(
        *minutes(
            MORNING,
            (0, {"fuel_level_pct": 80.0}),
            (5, {"fuel_level_pct": 79.0}),  # stood 5 min: idle
            (10, {"fuel_level_pct": 78.5, **MOVED}),  # moved: operating, not idle
            (15, {"fuel_level_pct": 95.0, "working": False, **MOVED}),  # stood: idle; refuelled
        )
    )
    assert day(days) == DayUsage(
        operating_s=900, idle_s=600, fuel_used_pct=1.5, windows=1, longest_window_s=600
    )


def test_a_gap_or_a_stop_ends_a_window_and_a_silence_counts_no_hours() -> None:
    days = usage_of(
        *minutes(
            MORNING,
            (0, {}),
            (5, {}),
            (25, {}),  # 20 min silent: not known to be work, and a new window
            (30, {"working": False}),
            (35, {}),  # a third window
            (45, {}),
        )
    )
    assert day(days) == DayUsage(
        operating_s=5 * 60 + 5 * 60 + 10 * 60,
        idle_s=20 * 60,
        windows=3,
        longest_window_s=600,
    )


def test_time_counts_to_the_local_day_it_was_spent_and_a_window_to_the_day_it_began() -> None:
    night = at("2026-05-11T23:55:00")
    days = usage_of(*minutes(night, (0, {}), (5, {}), (10, {})))
    assert day(days).operating_s == 300 and day(days).windows == 1
    assert day(days).longest_window_s == 600  # the whole window, past midnight
    assert day(days, date(2026, 5, 12)).operating_s == 300


def test_a_late_or_repeated_report_changes_no_total() -> None:
    steps = minutes(MORNING, (0, {}), (5, {}), (10, {}))
    assert usage_of(*steps, steps[1], steps[0]) == usage_of(*steps)


# Reports of one machine in any arrival order (late and repeated ones too), minutes after
# EVENING (the local day turns two hours in): working or not, standing or 111 m off, a fuel
# level or none; most a few minutes apart, so that they count.
EVENING = at("2026-05-11T22:00:00")
arrivals = st.lists(
    st.tuples(
        st.integers(0, 4 * 60),
        st.booleans(),
        st.booleans(),
        st.one_of(st.none(), st.floats(0, 100, allow_nan=False)),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(arrivals)
def test_the_live_state_holds_all_the_fold_keeps_and_the_workers_steps_are_the_folds(
    plan: list[tuple[int, bool, bool, Any]],
) -> None:
    carry: Carry | None = None
    state: LiveState | None = None
    for minute, working, moved, fuel in plan:
        report = reported(
            EVENING + timedelta(minutes=minute),
            working=working,
            fuel_level_pct=fuel,
            **(MOVED if moved else {}),
        )
        step = fold(carry, report)
        expected = [] if step is None else [(day, in_units(u)) for day, u in step.parts]
        assert steps_from(state, report) == expected
        carry = carry if step is None else step.carry
        state = evolve(state, report)
        assert carry_of_state(state) == carry


def test_a_steps_usage_in_units_is_exact_microseconds_and_thousandths_of_a_percent() -> None:
    usage = DayUsage(
        operating_s=timedelta(hours=7, microseconds=3).total_seconds(),
        idle_s=0.000001,
        fuel_used_pct=61.3 - 60.9,  # 0.3999999999999986
        windows=2,
        longest_window_s=timedelta(days=1).total_seconds(),
    )
    assert in_units(usage) == (25_200_000_003, 1, 400, 2, 86_400_000_000)


# Shanghai's local midnights in UTC, its DST years (1940-1949, 1986-1991) among them: where a
# day's bounds are kept wrong, the instant at a bound or just before it says so.
MIDNIGHTS = [
    datetime(year, month, day, 16, tzinfo=UTC) - timedelta(hours=hour)
    for year in (1919, 1940, 1941, 1946, 1986, 1991, 2026)
    for month in (4, 6, 9, 10)
    for day in (1, 14, 15)
    for hour in (0, 1)
]
instants = st.datetimes(
    min_value=datetime(1900, 1, 2), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(st.lists(instants | st.sampled_from(list(MIDNIGHTS)), min_size=1, max_size=20))
def test_the_local_day_is_shanghais_date_of_the_instant_whatever_was_asked_before(
    asked: list[datetime],
) -> None:
    days = _LocalDays()  # its bounds kept from the instants asked before
    for instant in asked:
        for nearby in (instant, instant - timedelta(microseconds=1)):
            assert days(nearby) == nearby.astimezone(CHINA).date()
