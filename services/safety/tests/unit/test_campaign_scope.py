"""A campaign's scope, given/when/then: what is filed under it must be dated in its period, in
a jurisdiction it covers (or under one, by the division code), and of a machine kind it covers;
otherwise it is refused naming the field."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from tianmen_events import DomainEvent
from tianmen_events.codes import Severity
from tianmen_events.errors import DomainError
from tianmen_events.registry.machines import MachineKind
from tianmen_events.safety.inspections import Department, SpotFinding
from tianmen_events.safety.orders import OrderKind
from tianmen_safety.domain import campaigns, inspections, orders

from .test_inspections import TEST

SHANGHAI = timezone(timedelta(hours=8))
START = datetime(2026, 3, 1, tzinfo=SHANGHAI)
LAUNCHED = campaigns.launch(
    campaigns.Campaign(
        title="起重机械重大隐患专项整治",
        jurisdictions=("429006", "429006-ST02"),
        categories=(MachineKind.TOWER_CRANE, MachineKind.CONSTRUCTION_HOIST),
        starts_at=START,
        ends_at=START + timedelta(days=90),
        checklist_version="hoisting-major-hazards/2022",
    ),
    actor="city-1",
)
HAZARD = orders.Hazard(
    enterprise_id="ent-1",
    machine_id="m-1",
    severity=Severity.GRAVE,
    major=True,
    description="moment limiter disabled",
    found_at=START + timedelta(days=10),
    kind=OrderKind.STOP_USE,
    jurisdiction="429006001",  # a township of the city
    campaign_id=LAUNCHED.campaign_id,
)
SPOT = inspections.SpotCheck(
    enterprise_id="ent-1",
    inspected_at=START + timedelta(days=10),
    departments=(Department.TRANSPORT,),
    findings=(SpotFinding(machine_id="m-1", passed=False),),
    jurisdiction="429006-ST02",
    campaign_id=LAUNCHED.campaign_id,
)
CRANE = MachineKind.TOWER_CRANE


def refused_field(filed: DomainEvent, kind: MachineKind | None = CRANE) -> str | None:
    try:
        campaigns.check_scope(LAUNCHED, filed, kind)
    except DomainError as refused:
        return refused.field
    return None


def hazard(**changed: Any) -> DomainEvent:
    return orders.record_hazard(replace(HAZARD, **changed), actor="township-1")


def test_a_hazard_in_its_period_jurisdiction_and_kind_is_in_scope() -> None:
    assert refused_field(hazard()) is None
    assert refused_field(hazard(jurisdiction="429006-ST01")) is None  # a station of the city
    assert refused_field(hazard(found_at=LAUNCHED.ends_at)) is None  # the last moment counts


@pytest.mark.parametrize(
    ("when", "field"),
    [
        (START - timedelta(seconds=1), "found_at"),
        (START + timedelta(days=90, seconds=1), "found_at"),
    ],
)
def test_a_hazard_found_outside_the_period_is_refused_naming_found_at(
    when: datetime, field: str
) -> None:
    assert refused_field(hazard(found_at=when)) == field


@pytest.mark.parametrize("where", ["420102001", "4290", None, "429007001"])
def test_a_hazard_outside_the_jurisdictions_or_naming_none_is_refused(where: str | None) -> None:
    assert refused_field(hazard(jurisdiction=where)) == "jurisdiction"


@pytest.mark.parametrize("kind", [MachineKind.EXCAVATOR, None])
def test_a_machine_of_another_kind_or_of_no_named_kind_is_refused(
    kind: MachineKind | None,
) -> None:
    assert refused_field(hazard(), kind) == "machine_kind"


def test_a_third_party_test_is_held_to_the_same_scope() -> None:
    test = replace(
        TEST,
        tested_at=START + timedelta(days=1),
        valid_until=START + timedelta(days=366),
        jurisdiction="429006101",
        campaign_id=LAUNCHED.campaign_id,
    )
    recorded = inspections.record_test(test, actor="lab")
    assert refused_field(recorded) is None
    assert refused_field(recorded, MachineKind.LOADER) == "machine_kind"
    late = replace(test, tested_at=START + timedelta(days=91))
    assert refused_field(inspections.record_test(late, actor="lab")) == "tested_at"


def test_a_spot_check_is_held_to_the_period_and_the_jurisdictions() -> None:
    record = inspections.record_spot_check
    assert refused_field(record(SPOT, actor="station-2"), None) is None  # several machines
    elsewhere = replace(SPOT, jurisdiction="420102-ST02")  # a station of another city
    assert refused_field(record(elsewhere, actor="station-1"), None) == "jurisdiction"
    early = replace(SPOT, inspected_at=START - timedelta(days=1))
    assert refused_field(record(early, actor="station-2"), None) == "inspected_at"


def test_a_self_inspection_is_held_to_the_period() -> None:
    own = inspections.SelfInspection(
        "ent-1", START + timedelta(days=100), ("m-1",), campaign_id=LAUNCHED.campaign_id
    )
    assert refused_field(inspections.record_self(own, actor="ent-1"), None) == "inspected_at"
    on_time = replace(own, inspected_at=START + timedelta(days=5))
    assert refused_field(inspections.record_self(on_time, actor="ent-1"), None) is None
