"""Violations found at inspections, given/when/then: given a ledger, when a hazard found at an
inspection is recorded, then a violation with its code's points and legal basis, in the cycle
of the hazard's time, once whatever the redeliveries; a hazard filed outside one is no violation."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from tianmen_events.codes import Severity, ViolationCode
from tianmen_events.safety import BiddingSuspended, PointsDeducted, ViolationRecorded
from tianmen_events.safety.orders import HazardRecorded
from tianmen_safety.domain import found, orders
from tianmen_safety.domain.ledger import Cycle, Ledger, record
from tianmen_safety.domain.orders import Hazard
from tianmen_safety.domain.rules import RULES

from . import test_orders as orders_tests

SHANGHAI = timezone(timedelta(hours=8))
FOUND = datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI)  # 2026 in UTC: the cycle is Shanghai's
INSPECTION = "inspection-7"
CRACKED_WELD = replace(orders_tests.CRACKED_WELD, found_at=FOUND, inspection_id=INSPECTION)
WORN_ROPE = replace(
    orders_tests.WORN_ROPE, found_at=FOUND, inspection_id=INSPECTION, due_at=FOUND + timedelta(1)
)


def filed(hazard: Hazard) -> HazardRecorded:
    return orders.record_hazard(hazard, actor="inspector-1")


def test_a_major_hazard_found_at_an_inspection_is_a_grave_violation_with_its_points() -> None:
    hazard = filed(CRACKED_WELD)
    finding = found.finding_of(hazard, source_event_id="ce-hazard")
    assert finding is not None
    violation, deducted = record(Ledger("ent-1"), finding, recorded=(), rules=RULES)

    assert isinstance(violation, ViolationRecorded) and isinstance(deducted, PointsDeducted)
    code = ViolationCode.MAJOR_HAZARD_FOUND_AT_INSPECTION
    assert (violation.code, violation.points, violation.machine_id) == (code, 12, "m-1")
    assert violation.occurred_at == FOUND
    assert (violation.source_event_id, violation.source_event_type) == (
        "ce-hazard",
        "tianmen.safety.hazard_recorded",
    )
    assert code.about.severity is Severity.GRAVE
    assert "重大事故隐患判定标准" in code.about.legal_basis
    assert (deducted.cycle_year, deducted.balance_after) == (2027, 88)
    assert deducted.violation_id == violation.violation_id


def test_a_general_hazard_found_at_an_inspection_costs_the_general_codes_points() -> None:
    finding = found.finding_of(filed(WORN_ROPE), source_event_id="ce-rope")
    assert finding is not None and finding.code is ViolationCode.HAZARD_FOUND_AT_INSPECTION
    [_, deducted] = record(Ledger("ent-1"), finding, recorded=(), rules=RULES)
    assert isinstance(deducted, PointsDeducted) and deducted.points == 3


def test_the_violation_id_derives_from_the_hazard_so_a_redelivery_records_nothing() -> None:
    first = found.finding_of(filed(CRACKED_WELD), source_event_id="ce-1")
    again = found.finding_of(filed(CRACKED_WELD), source_event_id="ce-1")
    other = found.finding_of(filed(WORN_ROPE), source_event_id="ce-2")
    assert first is not None and again is not None and other is not None
    assert first.violation_id == again.violation_id != other.violation_id
    assert record(Ledger("ent-1"), again, recorded={first.violation_id}, rules=RULES) == []


def test_a_hazard_found_at_an_inspection_can_suspend_bidding() -> None:
    given = Ledger("ent-1", (Cycle(2027, 70),))
    finding = found.finding_of(filed(CRACKED_WELD), source_event_id="ce-hazard")
    assert finding is not None
    *_, suspended = record(given, finding, recorded=(), rules=RULES)
    assert isinstance(suspended, BiddingSuspended)
    assert (suspended.cycle_year, suspended.balance) == (2027, 58)


def test_a_hazard_found_under_a_campaign_is_a_violation_too() -> None:
    under = filed(replace(CRACKED_WELD, inspection_id=None, campaign_id="campaign-1"))
    finding = found.finding_of(under, source_event_id="ce-hazard")
    assert finding is not None and finding.code is ViolationCode.MAJOR_HAZARD_FOUND_AT_INSPECTION


def test_a_hazard_filed_outside_an_inspection_and_a_campaign_is_an_order_only() -> None:
    outside = filed(replace(CRACKED_WELD, inspection_id=None))
    assert found.finding_of(outside, source_event_id="ce-hazard") is None
