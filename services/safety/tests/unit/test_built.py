"""The events safety builds without validating them again (`domain.built`) are the validated
ones: equal, the same fields in the same order, the same fields set, the same JSON and hash.
Decoded from the wire (as a replay meets them) and built in Python (as the API does)."""

from __future__ import annotations

from dataclasses import astuple
from datetime import datetime, timedelta, timezone

import pytest
from tianmen_events import DomainEvent
from tianmen_events.codes import AlertRule
from tianmen_events.safety import PointsDeducted
from tianmen_events.safety.cases import CaseOpened
from tianmen_events.telemetry import AlertRaised
from tianmen_safety.domain import cases, intake, ledger
from tianmen_safety.domain.case_rules import CASE_RULES
from tianmen_safety.domain.cases import Case, CaseState
from tianmen_safety.domain.ledger import Cycle, Finding, Ledger
from tianmen_safety.domain.rules import RULES

from ..conftest import alert as an_alert
from ..conftest import verified_tip

SHANGHAI = timezone(timedelta(hours=8))
NIGHT = datetime(2026, 3, 10, 23, 40, 5, 120, tzinfo=SHANGHAI)


def alert(rule: AlertRule, jurisdiction: str | None = "429006100") -> AlertRaised:
    source = an_alert(f"alert-{rule}", NIGHT, rule=rule)
    return AlertRaised(**{**vars(source), "jurisdiction": jurisdiction})


def from_the_wire(event: AlertRaised) -> AlertRaised:
    """As a consumer decodes it: its times with pydantic's own tzinfo."""
    return AlertRaised.model_validate_json(event.model_dump_json())


def assert_validated(events: list[DomainEvent]) -> None:
    assert events
    for event in events:
        validated = type(event)(**vars(event))
        assert event == validated
        assert list(vars(event)) == list(vars(validated)) == list(type(event).model_fields)
        assert [type(v) for v in vars(event).values()] == [
            type(v) for v in vars(validated).values()
        ]
        assert event.model_fields_set == validated.model_fields_set
        assert event.model_dump_json() == validated.model_dump_json()
        assert event.__pydantic_extra__ == validated.__pydantic_extra__
        assert event.__pydantic_private__ == validated.__pydantic_private__
        assert hash(event) == hash(validated)


@pytest.mark.parametrize("wire", [False, True])
@pytest.mark.parametrize(
    "rule", [AlertRule.NIGHT_WORK, AlertRule.CONTINUOUS_WORK, AlertRule.TAMPER_ALARM]
)
def test_a_case_opened_by_an_alert_is_the_validated_event(rule: AlertRule, wire: bool) -> None:
    for source in (alert(rule), alert(rule, jurisdiction=None)):
        source = from_the_wire(source) if wire else source
        assert_validated(
            intake.from_alert(source, source_event_id="ce-1", points=RULES, rules=CASE_RULES)
        )


def test_a_case_opened_by_a_tip_is_the_validated_event() -> None:
    assert_validated(
        intake.from_tip(verified_tip("ent-1", NIGHT), source_event_id="ce-t", rules=CASE_RULES)
    )


@pytest.mark.parametrize("balance", [100, 62, 12, 3])
def test_a_violation_and_its_deduction_are_the_validated_events(balance: int) -> None:
    """Also across the thresholds (suspension, listing), whose events are validated as before."""
    source = from_the_wire(alert(AlertRule.STOPPED_MACHINE_WORKING))
    code = RULES.violation_for(source.rule).code
    state = Ledger("ent-1", (Cycle(2026, balance),))
    for finding in (
        ledger.finding_of(source, code, "ce-1"),
        Finding("ent-1", "v-1", None, code, datetime.fromisoformat(NIGHT.isoformat()), "s", "t"),
    ):
        assert_validated(ledger.record(state, finding, recorded=set(), rules=RULES))


def test_the_folds_assembled_values_are_the_constructed_ones() -> None:
    """`cases.opened`, a case moved, a cycle rebalanced: assembled, yet the constructor's."""
    source = from_the_wire(alert(AlertRule.CONTINUOUS_WORK))
    (opening,) = intake.from_alert(source, source_event_id="ce-1", points=RULES, rules=CASE_RULES)
    assert isinstance(opening, CaseOpened)
    case = cases.opened(opening)
    expected = Case(
        opening.case_id,
        opening.enterprise_id,
        opening.violation_id,
        opening.code,
        opening.tier,
        CaseState.OPEN,
        opening.due_at,
    )
    confirmed = cases.confirm(case, actor="inspector-7", at=NIGHT)
    moved = Case(*[*astuple(expected)[:5], CaseState.CONFIRMED, None])
    deducted = ledger.evolve(Ledger("ent-1", (Cycle(2026, 60, True, False),)), points(55))
    for made, built_as in (
        (case, expected),
        (cases.evolve(case, confirmed), moved),
        (deducted, Ledger("ent-1", (Cycle(2026, 55, True, False),))),
        (deducted.cycles[0], Cycle(2026, 55, True, False)),
    ):
        assert made == built_as and hash(made) == hash(built_as)
        assert list(vars(made).items()) == list(vars(built_as).items())


def points(balance: int) -> PointsDeducted:
    return PointsDeducted(
        enterprise_id="ent-1",
        violation_id="v-1",
        points=5,
        balance_after=balance,
        cycle_year=2026,
        rule_version=RULES.version,
    )
