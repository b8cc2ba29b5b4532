"""Screening rules by a report's facts changes nothing: on any report, history and register,
`decide` with the screened rules gives the decision of every rule checked (as before), and no
rule fires on a report whose facts do not meet its needs. (That each rule still fires where it
should is what the rules' given/when/then tests show: they decide with the screened `RULES`.)"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from tianmen_events.codes import AlertRule
from tianmen_events.telemetry import AlertRaised, TerminalAlarm, TerminalReported
from tianmen_telemetry.domain.alerting import Rule, Seen, distance_km, may_be_apart
from tianmen_telemetry.domain.alerts import OpenAlert, decide
from tianmen_telemetry.domain.live_state import LiveState, evolve
from tianmen_telemetry.domain.register import NOTHING_KNOWN, Permit, Register, Site, Standing, Zone
from tianmen_telemetry.domain.rules import RULES
from tianmen_telemetry.domain.screening import facts

from ..helpers import reported
from .test_register_rules import HERE, square

DAY = datetime(2026, 5, 11, tzinfo=UTC)


@dataclass(frozen=True)
class Unscreened:
    """A rule checked on every report, as `decide` did before screening."""

    rule: Rule
    needs: int = 0

    @property
    def name(self) -> AlertRule:
        return self.rule.name

    @property
    def version(self) -> str:
        return self.rule.version

    def check(self, seen: Seen) -> AlertRaised | None:
        return self.rule.check(seen)


EVERY_RULE_CHECKED = tuple(Unscreened(rule) for rule in RULES)

instants = st.integers(0, 3 * 24 * 60).map(lambda m: DAY + timedelta(minutes=m))
offsets = st.sampled_from([0.0, 0.0005, 0.003, 0.009, 0.05])
levels = st.none() | st.sampled_from([20.0, 31.0, 45.0, 60.0])


@st.composite
def reports(draw: st.DrawFn) -> TerminalReported:
    return reported(
        draw(instants),
        working=draw(st.booleans()),
        latitude=HERE[0] + draw(offsets),
        longitude=HERE[1] - draw(offsets),
        engine_hours=draw(st.none() | st.sampled_from([100.0, 101.5, 103.0])),
        fuel_level_pct=draw(levels),
        alarms=tuple(draw(st.sets(st.sampled_from(list(TerminalAlarm)), max_size=2))),
        engine_number=draw(st.none() | st.sampled_from(["YC6J", "yc-6j", "WP7"])),
    )


@st.composite
def states(draw: st.DrawFn, report: TerminalReported) -> LiveState | None:
    if draw(st.booleans()):
        return None
    held = reported(
        report.reported_at - timedelta(minutes=draw(st.sampled_from([-5, 0, 1, 9, 45, 300]))),
        working=draw(st.booleans()),
        latitude=HERE[0] + draw(offsets),
        longitude=HERE[1] + draw(offsets),
        engine_hours=draw(st.none() | st.sampled_from([98.0, 100.0])),
        fuel_level_pct=draw(levels),
    )
    state = evolve(None, held)
    since = held.reported_at - timedelta(hours=draw(st.sampled_from([0, 3, 5])))
    legs = draw(st.integers(0, 7))
    return replace(
        state,
        working_since=since if held.working else None,
        fuel_rate_baseline=draw(st.none() | st.sampled_from([2.0, 6.0])) if legs else None,
        fuel_rate_legs=legs,
    )


@st.composite
def registers(draw: st.DrawFn) -> Register:
    if draw(st.booleans()):
        return NOTHING_KNOWN
    site = Site("site-1", "工地", square(*HERE, half=draw(st.sampled_from([0.001, 0.004]))))
    zone = Zone("zone-1", "school", square(*HERE, half=0.001))
    permit = Permit("permit-1", "site-1", time(22), time(6), DAY, DAY + timedelta(days=2))
    status = draw(st.sampled_from(["active", "active", "suspended", "review_overdue"]))
    return Register(
        standing=Standing(status, DAY if status != "active" else None),
        sites=(site,) if draw(st.booleans()) else (),
        permits=(permit,) if draw(st.booleans()) else (),
        zones=(zone,) if draw(st.booleans()) else (),
        jurisdiction=draw(st.none() | st.just("429006")),
        engine_number=draw(st.none() | st.just("YC6J")),
    )


@st.composite
def seens(draw: st.DrawFn) -> Seen:
    report = draw(reports())
    before = draw(states(report))
    return Seen(report, before, evolve(before, report), draw(registers()))


@st.composite
def held_alerts(draw: st.DrawFn) -> dict[AlertRule, OpenAlert]:
    names = draw(st.sets(st.sampled_from([rule.name for rule in RULES]), max_size=3))
    return {name: OpenAlert(f"open-{name}", "enterprise-1") for name in names}


@settings(max_examples=300, deadline=None)
@given(seens(), held_alerts())
def test_screened_rules_decide_as_every_rule_checked(
    seen: Seen, held: dict[AlertRule, OpenAlert]
) -> None:
    for rule in RULES:
        if rule.check(seen) is not None:
            assert rule.needs & facts(seen) == rule.needs, rule.name
    assert decide(seen, rules=RULES, raised={}, open_alerts=held) == decide(
        seen, rules=EVERY_RULE_CHECKED, raised={}, open_alerts=held
    )


@given(
    st.floats(29.0, 32.0),
    st.floats(112.0, 114.0),
    st.floats(-0.02, 0.02),
    st.floats(-0.02, 0.02),
    st.sampled_from([0.5, 1.0, 2.0]),
)
def test_fixes_said_not_apart_are_nearer_than_the_distance(
    lat: float, lon: float, dlat: float, dlon: float, km: float
) -> None:
    a = reported(DAY, latitude=lat, longitude=lon)
    b = reported(DAY, latitude=lat + dlat, longitude=lon + dlon)
    if not may_be_apart(a, b, km):
        assert distance_km(a, b) < km
