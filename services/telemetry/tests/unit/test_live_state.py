"""A machine's live state is its latest report by reported_at, whatever the arrival order."""

from __future__ import annotations

from datetime import timedelta
from functools import reduce
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from tianmen_events.telemetry import TerminalReported
from tianmen_telemetry.domain.fuel_baseline import FuelBaseline, learn
from tianmen_telemetry.domain.live_state import MAX_WORK_GAP, LiveState, evolve

from ..helpers import at, reported

T0 = at("2026-05-11T08:00:00")


def test_first_report_sets_the_live_state() -> None:
    report = reported(T0, working=True)
    state = evolve(None, report)
    assert (state.last_report_at, state.working, state.report_id) == (T0, True, report.report_id)


def test_an_older_report_arriving_late_does_not_roll_the_state_back() -> None:
    newer = evolve(None, reported(T0 + timedelta(minutes=5), working=False))
    assert evolve(newer, reported(T0, working=True)) is newer


def test_work_continues_across_a_gap_of_exactly_the_limit_and_not_one_second_more() -> None:
    """A silence of `MAX_WORK_GAP` is still one spell of work (the continuous-work rule and
    the usage totals count it); one second more starts a new spell at the report."""
    working = evolve(None, reported(T0, working=True))
    at_limit = T0 + MAX_WORK_GAP
    assert evolve(working, reported(at_limit, working=True)).working_since == T0
    beyond = at_limit + timedelta(seconds=1)
    assert evolve(working, reported(beyond, working=True)).working_since == beyond


@given(st.permutations(range(6)))
def test_any_arrival_order_gives_the_same_state(order: list[int]) -> None:
    reports = [reported(T0 + timedelta(minutes=m), latitude=30 + m / 100) for m in order]
    state: LiveState | None = reduce(evolve, reports, None)
    assert state is not None
    assert state.last_report_at == T0 + timedelta(minutes=5)
    assert state.latitude == 30.05


def _by_constructor(state: LiveState | None, report: TerminalReported) -> LiveState:
    """`evolve` as it was written before it set the fields at once: the reference."""
    if state is not None and report.reported_at <= state.last_report_at:
        return state
    fuel = learn(
        state.fuel if state else FuelBaseline(), report.engine_hours, report.fuel_level_pct
    )
    since = None
    if report.working:
        continuing = (
            state is not None
            and state.working_since is not None
            and report.reported_at - state.last_report_at <= MAX_WORK_GAP
        )
        since = state.working_since if continuing and state else report.reported_at
    return LiveState(
        report.machine_id,
        report.enterprise_id,
        report.terminal_id,
        report.report_id,
        report.reported_at,
        report.latitude,
        report.longitude,
        report.working,
        report.engine_hours,
        report.fuel_level_pct,
        since,
        fuel.leg_hours,
        fuel.leg_pct,
        fuel.rate,
        fuel.legs,
    )


readings = st.tuples(
    st.integers(0, 600),  # minutes after T0
    st.booleans(),
    st.one_of(st.none(), st.floats(0, 40)),  # engine hours
    st.one_of(st.none(), st.floats(0, 100)),  # fuel level
)


@given(st.lists(readings, max_size=30))
def test_a_state_is_the_one_its_constructor_builds(steps: list[tuple[int, bool, Any, Any]]) -> None:
    state: LiveState | None = None
    for minutes, working, hours, pct in steps:
        report = reported(
            T0 + timedelta(minutes=minutes),
            working=working,
            engine_hours=hours,
            fuel_level_pct=pct,
        )
        expected = _by_constructor(state, report)
        state = evolve(state, report)
        assert state == expected
        assert hash(state) == hash(expected)
        assert list(vars(state).items()) == list(vars(expected).items())  # rows bind by it
