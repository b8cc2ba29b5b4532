"""Rules on the registry's word, given/when/then, each with its lawful twin: given what the
registry said (sites, permits, zones, the machine's standing), when the machine reports, then
the alert or nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import Any

from tianmen_events.telemetry import AlertRaised
from tianmen_telemetry.domain.alerts import decide
from tianmen_telemetry.domain.geometry import Polygon, polygon_of
from tianmen_telemetry.domain.register import Permit, Register, Site, Standing, Zone
from tianmen_telemetry.domain.rules import RULES

from ..helpers import at, reported, seen

NOON = at("2026-05-11T12:00:00")
NIGHT = at("2026-05-11T23:30:00")
HERE = (30.6531, 113.1661)  # where helpers' reports come from
ELSEWHERE: dict[str, Any] = {"latitude": 30.70, "longitude": 113.25}


def square(lat: float, lon: float, half: float = 0.002) -> Polygon:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return polygon_of({"type": "Polygon", "coordinates": [ring]})


SITE = Site("site-1", "东湖工地", square(*HERE))
SCHOOL = Zone("zone-school-1", "school", square(*HERE, half=0.001))
PERMIT = Permit("permit-1", "site-1", time(22), time(2), NIGHT - timedelta(days=1), NIGHT)


def fired(register: Register, when: datetime = NOON, **fields: Any) -> list[AlertRaised]:
    """The alerts a report raises, given what the registry said."""
    decision = decide(
        replace(seen(reported(when, **fields)), register=register), rules=RULES, raised={}
    )
    return decision.raised


def rules(alerts: list[AlertRaised]) -> list[str]:
    return sorted(a.rule for a in alerts)


def test_a_polygon_contains_what_is_inside_its_outer_ring_and_not_in_a_hole() -> None:
    outer = [[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0], [0.0, 0.0]]
    hole = [[1.0, 1.0], [2.0, 1.0], [2.0, 2.0], [1.0, 2.0], [1.0, 1.0]]
    area = polygon_of({"type": "Polygon", "coordinates": [outer, hole]})
    assert area.contains(latitude=3.0, longitude=3.0)
    assert not area.contains(latitude=1.5, longitude=1.5)
    assert not area.contains(latitude=3.0, longitude=5.0)


def test_working_inside_a_school_zone_raises_a_restricted_zone_alert_with_its_jurisdiction() -> (
    None
):
    [alert] = fired(Register(zones=(SCHOOL,), jurisdiction="429006001"))
    assert (alert.rule, alert.rule_version) == ("work_in_restricted_zone", "restricted-zone/1")
    assert alert.detail == "working inside restricted zone zone-school-1 (school)"
    assert alert.jurisdiction == "429006001"
    assert [f.latitude for f in alert.evidence] == [HERE[0]]


def test_lawful_twins_of_the_zone_outside_it_or_parked_inside_raise_nothing() -> None:
    register = Register(zones=(SCHOOL,))
    assert fired(register, latitude=HERE[0] + 0.0015) == []
    assert fired(register, working=False) == []


def test_working_outside_every_registered_site_raises_outside_site() -> None:
    [alert] = fired(Register(sites=(SITE,)), **ELSEWHERE)
    assert (alert.rule, alert.rule_version) == ("work_outside_site", "outside-site/1")
    assert "东湖工地" in alert.detail


def test_lawful_twins_of_the_site_inside_it_or_no_site_registered_raise_nothing() -> None:
    assert fired(Register(sites=(SITE,))) == []
    assert fired(Register(), **ELSEWHERE) == []


def test_night_work_on_a_site_without_a_permit_raises_night_work() -> None:
    assert rules(fired(Register(sites=(SITE,)), NIGHT)) == ["night_work"]


def test_lawful_twin_night_work_covered_by_a_permit_for_the_site_and_date_raises_nothing() -> None:
    assert fired(Register(sites=(SITE,), permits=(PERMIT,)), NIGHT) == []


def test_a_permit_covers_neither_another_night_nor_another_place() -> None:
    register = Register(
        sites=(SITE, Site("site-2", "西湖工地", square(30.70, 113.25))), permits=(PERMIT,)
    )
    assert rules(fired(register, NIGHT + timedelta(days=1))) == ["night_work"]
    assert rules(fired(register, NIGHT, **ELSEWHERE)) == ["night_work"]


def test_a_suspended_machine_working_raises_a_stopped_machine_alert() -> None:
    since = NOON - timedelta(days=1)
    [alert] = fired(Register(standing=Standing("suspended", since)))
    assert (alert.rule, alert.rule_version) == ("stopped_machine_working", "stopped-machine/3")
    assert alert.detail == f"working while suspended (since {since.isoformat()})"


def test_deregistered_and_inspection_overdue_machines_working_raise_stopped_machine() -> None:
    for status in ("deregistered", "review_overdue"):
        [alert] = fired(Register(standing=Standing(status, NOON)))
        assert alert.rule == "stopped_machine_working"


def test_lawful_twins_an_active_machine_working_or_a_suspended_one_parked_raise_nothing() -> None:
    assert fired(Register(standing=Standing("active", NOON))) == []
    assert fired(Register(standing=Standing("suspended", NOON)), working=False) == []


def test_suspended_again_after_reinstatement_is_a_new_alert() -> None:
    [first] = fired(Register(standing=Standing("suspended", NOON - timedelta(days=3))))
    [second] = fired(Register(standing=Standing("suspended", NOON - timedelta(days=1))))
    assert first.alert_id != second.alert_id
