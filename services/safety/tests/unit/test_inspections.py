"""Inspections, campaigns and accidents, given/when/then: what each kind must name, when a
self-inspection deadline is missed, when a third-party test lapses and what telemetry hears,
what a campaign's report counts, how accidents compare year on year."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from tianmen_events.errors import DomainError
from tianmen_events.registry.machines import MachineKind
from tianmen_events.safety import ThirdPartyTestExpired
from tianmen_events.safety.inspections import AccidentSeverity, Department, SpotFinding
from tianmen_safety.domain import accidents, campaigns, inspections
from tianmen_safety.domain.campaigns import FiledOrder

SHANGHAI = timezone(timedelta(hours=8))
AT = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
TEST = inspections.ThirdPartyTest(
    enterprise_id="ent-1",
    machine_id="m-1",
    agency="Hubei Special Equipment Inspection Institute",
    passed=True,
    certificate_number="TC-1",
    tested_at=AT,
    valid_until=AT + timedelta(days=365),
)
SPOT = inspections.SpotCheck(
    enterprise_id="ent-1",
    inspected_at=AT,
    departments=(Department.TRANSPORT, Department.EMERGENCY_MANAGEMENT, Department.TRANSPORT),
    findings=(
        SpotFinding(machine_id="m-1", passed=False),
        SpotFinding(machine_id="m-2", passed=True),
    ),
)


def test_a_passed_test_lapses_at_its_validity_and_telemetry_hears_it_expired_then() -> None:
    recorded = inspections.record_test(TEST, actor="inspector-1")
    assert inspections.lapse(recorded, TEST.valid_until - timedelta(seconds=1)) is None
    lapsed = inspections.lapse(recorded, TEST.valid_until + timedelta(days=3))
    assert lapsed is not None and lapsed.docket_id == "docket:ent-1"
    assert inspections.announced(lapsed) == ThirdPartyTestExpired(
        enterprise_id="ent-1",
        machine_id="m-1",
        test_id=recorded.test_id,
        expired_at=TEST.valid_until,
    )


def test_a_failed_test_never_held_so_it_never_lapses() -> None:
    failed = inspections.record_test(replace(TEST, passed=False), actor="inspector-1")
    assert inspections.lapse(failed, TEST.valid_until + timedelta(days=1)) is None


def test_the_same_test_filed_twice_has_the_same_id() -> None:
    first = inspections.record_test(TEST, actor="a")
    assert (
        inspections.record_test(replace(TEST, agency="typo fixed"), actor="b").test_id
        == first.test_id
    )


@pytest.mark.parametrize(
    ("changed", "field"),
    [
        ({"valid_until": AT}, "valid_until"),
        ({"agency": " "}, "agency"),
        ({"certificate_number": ""}, "certificate_number"),
    ],
)
def test_a_test_without_agency_certificate_or_later_validity_is_refused(
    changed: dict[str, object], field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        inspections.record_test(replace(TEST, **changed), actor="a")  # type: ignore[arg-type]
    assert refused.value.field == field


def test_a_spot_check_names_each_department_once_and_one_finding_per_machine() -> None:
    recorded = inspections.record_spot_check(SPOT, actor="inspector-1")
    assert recorded.departments == [Department.EMERGENCY_MANAGEMENT, Department.TRANSPORT]
    with pytest.raises(DomainError) as twice:
        inspections.record_spot_check(replace(SPOT, findings=SPOT.findings * 2), actor="a")
    assert twice.value.field == "findings"
    with pytest.raises(DomainError) as nobody:
        inspections.record_spot_check(replace(SPOT, departments=()), actor="a")
    assert nobody.value.field == "departments"


def test_self_inspection_deadlines_are_the_half_year_and_the_year_in_shanghai() -> None:
    assert inspections.deadlines(2026) == [
        (datetime(2026, 7, 1, tzinfo=SHANGHAI), 1),
        (datetime(2027, 1, 1, tzinfo=SHANGHAI), 2),
    ]
    august = datetime(2026, 8, 1, tzinfo=SHANGHAI)
    assert [(y, n) for y, _, n in inspections.passed_by(august)] == [(2025, 2), (2026, 1)]


def test_a_deadline_is_missed_only_when_fewer_were_done_than_required() -> None:
    deadline = datetime(2026, 7, 1, tzinfo=SHANGHAI)
    assert inspections.missed("ent-1", 2026, deadline, 1, 1) is None
    missed = inspections.missed("ent-1", 2026, deadline, 2, 1)
    assert missed is not None and (missed.docket_id, missed.done) == ("docket:ent-1", 1)


def test_a_self_inspection_names_the_machines_it_inspected() -> None:
    nothing = inspections.SelfInspection("ent-1", AT, ())
    with pytest.raises(DomainError) as refused:
        inspections.record_self(nothing, actor="ent-1-safety-officer")
    assert refused.value.field == "machine_ids"


CAMPAIGN = campaigns.Campaign(
    title="Hoisting machinery major-hazard drive",
    jurisdictions=("429006100", "429006100", "429006101"),
    categories=(MachineKind.TOWER_CRANE,),
    starts_at=AT,
    ends_at=AT + timedelta(days=90),
    checklist_version="hoisting-major-hazards/2022",
)


def test_a_campaign_works_to_a_known_checklist_within_its_period() -> None:
    launched = campaigns.launch(CAMPAIGN, actor="city-1")
    assert launched.jurisdictions == ["429006100", "429006101"]
    assert launched.docket_id == f"campaign:{launched.campaign_id}"
    for changed, field in (
        ({"checklist_version": "hoisting/1999"}, "checklist_version"),
        ({"ends_at": AT}, "ends_at"),
        ({"jurisdictions": ()}, "jurisdictions"),
    ):
        with pytest.raises(DomainError) as refused:
            campaigns.launch(replace(CAMPAIGN, **changed), actor="city-1")
        assert refused.value.field == field


def test_a_campaigns_report_counts_machines_hazards_stop_use_and_rectified_on_time() -> None:
    filed = [
        FiledOrder("m-1", "grave", "stop_use", closed=True, overdue=False),
        FiledOrder("m-2", "serious", "rectify", closed=True, overdue=False),
        FiledOrder("m-2", "minor", "rectify", closed=True, overdue=True),
        FiledOrder("m-4", "serious", "rectify", closed=False, overdue=True),
    ]
    report = campaigns.report({"m-1", "m-3"}, filed, {"ent-1", "ent-2"})
    assert report == campaigns.Report(
        machines_checked=4,
        hazards=4,
        hazards_by_severity={"grave": 1, "minor": 1, "serious": 2},
        hazard_machines=3,  # m-2 had two
        major_hazard_machines=1,
        stop_use_orders=1,
        rectified_on_time=2,
        rectified_late=1,
        open_orders=1,
        key_supervision_enterprises=2,
    )


def test_accidents_fall_year_on_year_as_a_ratio_and_none_before_is_no_ratio() -> None:
    assert accidents.year_on_year(31, 50).change == -0.38
    assert accidents.year_on_year(2, 0).change is None
    assert accidents.year_earlier(datetime(2028, 2, 29, tzinfo=SHANGHAI)).day == 28


def test_an_accident_is_identified_by_its_machine_and_time() -> None:
    accident = accidents.Accident(
        "ent-1", "m-1", AT, AccidentSeverity.GENERAL, 0, 2, "hook block fell"
    )
    first = accidents.record(accident, actor="station-1")
    again = accidents.record(replace(accident, injuries=3), actor="station-1")
    assert first.accident_id == again.accident_id
    with pytest.raises(DomainError) as refused:
        accidents.record(replace(accident, description=" "), actor="station-1")
    assert refused.value.field == "description"
