"""Rules on the registry's word, given/when/then, each with its lawful twin."""

from __future__ import annotations

from tianmen_telemetry.domain.area import Area
from tianmen_telemetry.domain.register import (
    Register,
    RestrictedZoneRule,
    StoppedMachineRule,
    Zone,
)

from ..helpers import MACHINE, at, reported, seen

SCHOOL = Zone("zone-school-1", "school", Area("zone/1", 30.650, 113.160, 30.656, 113.170))
REGISTER = Register(restricted=(SCHOOL,), status={MACHINE: "suspended"})
NOON = at("2026-05-11T12:00:00")


def test_working_inside_a_school_zone_raises_a_restricted_zone_alert() -> None:
    alert = RestrictedZoneRule().check(seen(reported(NOON)), REGISTER)
    assert alert is not None
    assert (alert.rule, alert.detail) == (
        "work_in_restricted_zone",
        "working inside restricted zone zone-school-1 (school)",
    )
    assert [f.latitude for f in alert.evidence] == [30.6531]


def test_lawful_twin_working_just_outside_the_zone_raises_nothing() -> None:
    assert RestrictedZoneRule().check(seen(reported(NOON, latitude=30.657)), REGISTER) is None


def test_lawful_twin_parked_inside_the_zone_raises_nothing() -> None:
    assert RestrictedZoneRule().check(seen(reported(NOON, working=False)), REGISTER) is None


def test_a_suspended_machine_working_raises_a_stopped_machine_alert() -> None:
    alert = StoppedMachineRule().check(seen(reported(NOON)), REGISTER)
    assert alert is not None
    assert (alert.rule, alert.detail) == ("stopped_machine_working", "working while suspended")


def test_lawful_twin_an_active_machine_working_raises_nothing() -> None:
    active = Register(status={MACHINE: "active"})
    assert StoppedMachineRule().check(seen(reported(NOON)), active) is None
