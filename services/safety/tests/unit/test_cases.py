"""The desk, given/when/then: what opens a case, who holds it, what staff may do with it, and
when it goes up a tier (by event time)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from tianmen_events.codes import Severity, ViolationCode
from tianmen_events.errors import Conflict, DomainError
from tianmen_events.safety.cases import (
    AppealUpheld,
    CaseAcknowledged,
    CaseConfirmed,
    CaseDismissed,
    CaseEscalated,
    CaseOpened,
    Tier,
)
from tianmen_events.telemetry import AlertRaised
from tianmen_safety.domain import cases, intake
from tianmen_safety.domain.case_rules import CASE_RULES
from tianmen_safety.domain.cases import Case, CaseState
from tianmen_safety.domain.rules import RULES

from ..conftest import verified_tip

SHANGHAI = timezone(timedelta(hours=8))
MORNING = datetime(2026, 4, 2, 9, 0, tzinfo=SHANGHAI)


def alert(rule: str, n: int = 1) -> AlertRaised:
    return AlertRaised(
        alert_id=f"alert-{n}",
        enterprise_id="ent-1",
        machine_id="m-1",
        terminal_id="139",
        rule=rule,
        rule_version="t/1",
        observed_at=MORNING,
        latitude=30.6,
        longitude=113.1,
        detail="",
        jurisdiction="429006100",
    )


def opened(rule: str) -> list[object]:
    return list(
        intake.from_alert(alert(rule), source_event_id="ce-1", points=RULES, rules=CASE_RULES)
    )


def case_of(rule: str) -> Case:
    first = opened(rule)[0]
    assert isinstance(first, CaseOpened)
    return cases.opened(first)


def test_a_minor_alert_opens_a_case_at_the_township_due_in_a_day() -> None:
    [case] = opened("continuous_work")
    assert isinstance(case, CaseOpened)
    assert (case.severity, case.tier, case.jurisdiction) == (
        Severity.MINOR,
        Tier.TOWNSHIP,
        "429006100",
    )
    assert case.due_at == MORNING + timedelta(hours=24)
    assert (case.code, case.source_event_id) == (ViolationCode.CONTINUOUS_WORK_BEYOND_LIMIT, "ce-1")


def test_a_self_evident_code_is_confirmed_at_once_by_rule_at_the_alert_time() -> None:
    case, confirmed = opened("stopped_machine_working")
    assert isinstance(case, CaseOpened) and isinstance(confirmed, CaseConfirmed)
    assert (case.tier, case.due_at) == (Tier.CITY, None)  # grave: the city; decided, no deadline
    assert (confirmed.automatic, confirmed.at, confirmed.actor) == (
        True,
        MORNING,
        "system:safety-cases/2026.1",
    )


def test_a_data_quality_alert_opens_no_case() -> None:
    assert opened("implausible_movement") == []
    assert opened("fuel_drop_while_parked") == []


def test_the_same_alert_opens_the_same_case() -> None:
    assert opened("continuous_work") == opened("continuous_work")


def test_a_verified_tip_opens_a_case_the_verifier_confirmed() -> None:
    tip = verified_tip("ent-1", MORNING)
    case, confirmed = intake.from_tip(tip, source_event_id="ce-tip", rules=CASE_RULES)
    assert isinstance(case, CaseOpened) and isinstance(confirmed, CaseConfirmed)
    assert (case.tier, case.due_at, case.source_event_type) == (
        Tier.CITY,
        None,
        "tianmen.reports.tip_verified",
    )
    assert (confirmed.actor, confirmed.automatic, confirmed.at) == (
        "inspector-7",
        False,
        MORNING + timedelta(days=1),
    )


def test_staff_acknowledge_then_confirm_and_each_names_the_actor() -> None:
    case = case_of("continuous_work")
    ack = cases.acknowledge(case, actor="liaison-1", at=MORNING)
    assert isinstance(ack, CaseAcknowledged) and ack.actor == "liaison-1"
    case = cases.evolve(case, ack)
    confirmed = cases.confirm(case, actor="liaison-1", at=MORNING)
    assert (confirmed.actor, confirmed.automatic) == ("liaison-1", False)
    assert cases.evolve(case, confirmed).state is CaseState.CONFIRMED


def test_a_dismissal_needs_a_reason_and_ends_the_case() -> None:
    case = case_of("continuous_work")
    with pytest.raises(DomainError) as refused:
        cases.dismiss(case, actor="liaison-1", reason="  ", at=MORNING)
    assert refused.value.field == "reason"
    dismissed = cases.dismiss(
        case, actor="liaison-1", reason="operator swapped at noon", at=MORNING
    )
    assert isinstance(dismissed, CaseDismissed)
    done = cases.evolve(case, dismissed)
    assert done.state is CaseState.DISMISSED
    with pytest.raises(Conflict):
        cases.confirm(done, actor="liaison-1", at=MORNING)


def test_an_appeal_can_only_revoke_a_confirmed_case() -> None:
    case = case_of("continuous_work")
    with pytest.raises(Conflict):
        cases.uphold_appeal(case, actor="city-1", reason="permit on file", at=MORNING)
    confirmed = cases.evolve(case, cases.confirm(case, actor="c", at=MORNING))
    upheld = cases.uphold_appeal(confirmed, actor="city-1", reason="permit on file", at=MORNING)
    assert isinstance(upheld, AppealUpheld) and upheld.violation_id == case.violation_id
    assert cases.evolve(confirmed, upheld).state is CaseState.REVOKED


def test_a_case_unhandled_past_its_deadline_goes_up_one_tier_dated_at_the_deadline() -> None:
    case = case_of("continuous_work")
    deadline = MORNING + timedelta(hours=24)
    assert cases.escalate(case, deadline - timedelta(seconds=1), CASE_RULES) is None
    up = cases.escalate(case, deadline + timedelta(hours=3), CASE_RULES)
    assert isinstance(up, CaseEscalated)
    assert (up.from_tier, up.to_tier, up.at, up.due_at) == (
        Tier.TOWNSHIP,
        Tier.STATION,
        deadline,
        deadline + timedelta(hours=48),
    )
    at_station = cases.evolve(case, up)
    assert (at_station.tier, at_station.due_at) == (Tier.STATION, up.due_at)
    again = cases.escalate(at_station, deadline + timedelta(days=9), CASE_RULES)
    assert again is not None and again.to_tier is Tier.CITY
    top = cases.evolve(at_station, again)
    assert top.due_at is None  # the city has no deadline: it keeps the case
    assert cases.escalate(top, deadline + timedelta(days=99), CASE_RULES) is None


def test_an_acknowledged_case_still_escalates_but_a_decided_one_never_does() -> None:
    case = case_of("continuous_work")
    late = MORNING + timedelta(days=2)
    acknowledged = cases.evolve(case, cases.acknowledge(case, actor="l", at=MORNING))
    assert cases.escalate(acknowledged, late, CASE_RULES) is not None
    confirmed = cases.evolve(case, cases.confirm(case, actor="l", at=MORNING))
    assert cases.escalate(confirmed, late, CASE_RULES) is None


def test_an_escalation_that_arrives_after_the_decision_changes_nothing() -> None:
    case = case_of("continuous_work")
    up = cases.escalate(case, MORNING + timedelta(days=2), CASE_RULES)
    assert up is not None
    dismissed = cases.evolve(case, cases.dismiss(case, actor="l", reason="r", at=MORNING))
    assert cases.evolve(dismissed, up) is dismissed  # the case itself: no row to write


def test_a_confirmation_delivered_again_gives_back_the_case_itself() -> None:
    case = case_of("continuous_work")
    confirmation = cases.confirm(case, actor="l", at=MORNING)
    confirmed = cases.evolve(case, confirmation)
    assert confirmed.state is CaseState.CONFIRMED and confirmed is not case
    assert cases.evolve(confirmed, confirmation) is confirmed  # the case map writes nothing


def test_staff_send_a_case_up_a_tier_by_hand_with_a_reason_and_its_clock_restarts() -> None:
    case = case_of("continuous_work")
    noon = MORNING + timedelta(hours=3)
    up = cases.send_up(case, actor="liaison-1", reason="涉及多家企业", at=noon, rules=CASE_RULES)
    assert (up.from_tier, up.to_tier, up.at, up.due_at) == (
        Tier.TOWNSHIP,
        Tier.STATION,
        noon,
        noon + timedelta(hours=48),
    )
    assert (up.actor, up.reason) == ("liaison-1", "涉及多家企业")
    at_station = cases.evolve(case, up)
    assert (at_station.tier, at_station.state) == (Tier.STATION, CaseState.OPEN)
    assert cases.escalate(at_station, MORNING + timedelta(hours=25), CASE_RULES) is None
    to_city = cases.send_up(at_station, actor="s", reason="重大", at=noon, rules=CASE_RULES)
    with pytest.raises(Conflict):
        cases.send_up(
            cases.evolve(at_station, to_city), actor="c", reason="r", at=noon, rules=CASE_RULES
        )


def test_a_case_is_not_sent_up_without_a_reason_nor_once_decided() -> None:
    case = case_of("continuous_work")
    with pytest.raises(DomainError) as refused:
        cases.send_up(case, actor="l", reason="  ", at=MORNING, rules=CASE_RULES)
    assert refused.value.field == "reason"
    confirmed = cases.evolve(case, cases.confirm(case, actor="l", at=MORNING))
    with pytest.raises(Conflict):
        cases.send_up(confirmed, actor="l", reason="r", at=MORNING, rules=CASE_RULES)
