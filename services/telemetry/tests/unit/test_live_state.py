"""A machine's live state is its latest report by reported_at, whatever the arrival order."""

from __future__ import annotations

from datetime import timedelta
from functools import reduce

from hypothesis import given
from hypothesis import strategies as st
from tianmen_telemetry.domain.live_state import LiveState, evolve

from ..helpers import at, reported

T0 = at("2026-05-11T08:00:00")


def test_first_report_sets_the_live_state() -> None:
    report = reported(T0, working=True)
    state = evolve(None, report)
    assert (state.last_report_at, state.working, state.report_id) == (T0, True, report.report_id)


def test_an_older_report_arriving_late_does_not_roll_the_state_back() -> None:
    newer = evolve(None, reported(T0 + timedelta(minutes=5), working=False))
    assert evolve(newer, reported(T0, working=True)) is newer


@given(st.permutations(range(6)))
def test_any_arrival_order_gives_the_same_state(order: list[int]) -> None:
    reports = [reported(T0 + timedelta(minutes=m), latitude=30 + m / 100) for m in order]
    state: LiveState | None = reduce(evolve, reports, None)
    assert state is not None
    assert state.last_report_at == T0 + timedelta(minutes=5)
    assert state.latitude == 30.05
