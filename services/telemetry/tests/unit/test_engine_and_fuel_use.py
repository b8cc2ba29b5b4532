"""Suspected illegal modification and fuel use against the machine's own baseline,
given/when/then, each with its lawful twin."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from tianmen_telemetry.domain.alerts import decide
from tianmen_telemetry.domain.fuel_baseline import FuelBaseline, learn
from tianmen_telemetry.domain.live_state import LiveState, evolve
from tianmen_telemetry.domain.register import Register
from tianmen_telemetry.domain.rules import RULES

from ..helpers import at, reported, seen

NOON = at("2026-05-11T12:00:00")
MORNING = at("2026-05-11T06:30:00")
REGISTERED = Register(engine_number="YC6J220-30 B2071")


def fired(rule: str, state: LiveState | None, register: Register, **fields: Any) -> list[str]:
    when = state.last_report_at + timedelta(minutes=15) if state else NOON
    decision = decide(
        replace(seen(reported(when, **fields), state), register=register), rules=RULES, raised={}
    )
    return [a.detail for a in decision.raised if a.rule == rule]


def test_working_with_an_engine_other_than_the_registered_one_raises_suspected_modification() -> (
    None
):
    decision = decide(
        replace(seen(reported(NOON, engine_number="WP7.240E51")), register=REGISTERED),
        rules=RULES,
        raised={},
    )
    [alert] = [a for a in decision.raised if a.rule == "suspected_illegal_modification"]
    assert alert.rule_version == "engine-identity/1"
    assert alert.detail.startswith("engine WP7.240E51 reported, YC6J220-30 B2071 registered")
    assert [f.reported_at for f in alert.evidence] == [NOON]


def test_lawful_twins_of_modification_the_registered_engine_however_written_or_none_said() -> None:
    rule = "suspected_illegal_modification"
    assert fired(rule, None, REGISTERED, engine_number="yc6j220 30-b2071") == []
    assert fired(rule, None, REGISTERED) == []  # the terminal does not report the engine
    assert fired(rule, None, Register(), engine_number="WP7.240E51") == []  # none registered
    assert fired(rule, None, REGISTERED, engine_number="WP7.240E51", working=False) == []


def hours_of_work(hours: float, rate: float, state: LiveState | None = None) -> LiveState:
    """Reports every 15 minutes of work using `rate` tank points per engine hour."""
    state = state or evolve(None, reported(MORNING, engine_hours=100.0, fuel_level_pct=95.0))
    for _ in range(round(hours * 4)):
        assert state.engine_hours is not None and state.fuel_level_pct is not None
        step = next_step(state, rate)
        state = evolve(state, reported(state.last_report_at + timedelta(minutes=15), **step))
    return state


def next_step(state: LiveState, rate: float) -> dict[str, Any]:
    assert state.engine_hours is not None and state.fuel_level_pct is not None
    return {
        "engine_hours": state.engine_hours + 0.25,
        "fuel_level_pct": state.fuel_level_pct - rate / 4,
    }


def test_a_machine_learns_its_own_use_per_engine_hour() -> None:
    state = hours_of_work(6, rate=6.0)
    assert state.fuel_rate_legs >= 5
    assert state.fuel_rate_baseline is not None
    assert abs(state.fuel_rate_baseline - 6.0) < 0.01


def test_a_leg_using_three_times_its_baseline_raises_a_fuel_use_anomaly_once() -> None:
    learnt = hours_of_work(6, rate=6.0)
    draining = hours_of_work(0.75, rate=18.0, state=learnt)  # the leg's last step is next
    [detail] = fired("fuel_use_anomaly", draining, Register(), **next_step(draining, 18.0))
    assert detail.endswith("against its own baseline of 6.0%/h")
    then = draining.last_report_at + timedelta(minutes=15)
    after = evolve(draining, reported(then, **next_step(draining, 18.0)))
    assert after.fuel_leg_hours == 107.0  # the leg ended ...
    assert after.fuel_rate_baseline == learnt.fuel_rate_baseline  # ... and theft is not learnt


def test_lawful_twins_of_fuel_use_near_its_baseline_or_before_it_is_learnt() -> None:
    learnt = hours_of_work(6, rate=6.0)
    busy = hours_of_work(0.75, rate=9.0, state=learnt)  # harder work: 1.5 x, not anomalous
    assert fired("fuel_use_anomaly", busy, Register(), **next_step(busy, 9.0)) == []
    young = hours_of_work(2.75, rate=6.0)  # two legs learnt: not judged yet
    assert fired("fuel_use_anomaly", young, Register(), **next_step(young, 30.0)) == []


def test_a_refuel_starts_a_new_leg_rather_than_counting_as_negative_use() -> None:
    held = FuelBaseline(leg_hours=100.0, leg_pct=40.0, rate=6.0, legs=5)
    assert learn(held, 100.5, 90.0) == FuelBaseline(100.5, 90.0, 6.0, 5)
