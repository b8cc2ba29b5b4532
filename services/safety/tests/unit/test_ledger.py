"""The points ledger, given/when/then over events: given earlier alerts, when one more, then..."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from tianmen_events import DomainEvent
from tianmen_events.codes import AlertRule, ViolationCode
from tianmen_events.errors import DomainError
from tianmen_events.safety import (
    BiddingSuspended,
    KeySupervisionListed,
    PointsDeducted,
    ViolationRecorded,
)
from tianmen_events.telemetry import AlertRaised
from tianmen_safety.domain.ledger import Ledger, decide, evolve, fold, violation_id_for
from tianmen_safety.domain.rules import RULES, PointsRules, ViolationRule

SHANGHAI = timezone(timedelta(hours=8))
NIGHT = datetime(2026, 3, 10, 23, 40, tzinfo=SHANGHAI)


def alert(n: int, at: datetime = NIGHT, rule: str = "night_work") -> AlertRaised:
    return AlertRaised(
        alert_id=f"alert-{n}",
        enterprise_id="ent-1",
        machine_id="machine-1",
        terminal_id="13800000001",
        rule=rule,
        rule_version="telemetry-rules/2026.1",
        observed_at=at + timedelta(minutes=n),
        latitude=30.65,
        longitude=113.17,
        detail="working outside the permitted hours",
    )


@dataclass(frozen=True)
class Given(Ledger):
    """A ledger with the violations recorded so far, as the service's tables would hold them."""

    recorded: frozenset[str] = frozenset()


def given(*alerts: AlertRaised, rules: PointsRules = RULES) -> Given:
    state = Given("ent-1")
    for a in alerts:
        new = when(state, a, rules)
        folded = fold("ent-1", new, state)
        assert isinstance(folded, Given)  # evolve keeps the snapshot's own fields
        ids = {e.violation_id for e in new if isinstance(e, ViolationRecorded)}
        state = replace(folded, recorded=folded.recorded | ids)
    return state


def when(state: Ledger, a: AlertRaised, rules: PointsRules = RULES) -> list[DomainEvent]:
    recorded = state.recorded if isinstance(state, Given) else frozenset()
    return decide(state, a, recorded=recorded, source_event_id=f"ce-{a.alert_id}", rules=rules)


def kinds(events: list[DomainEvent]) -> list[type[DomainEvent]]:
    return [type(e) for e in events]


def test_night_work_alert_records_violation_and_deducts_five_points() -> None:
    events = when(given(), alert(1))
    violation_id = violation_id_for(alert(1))
    assert events == [
        ViolationRecorded(
            enterprise_id="ent-1",
            violation_id=violation_id,
            machine_id="machine-1",
            code="night_work_without_permit",
            description="夜间违规作业 / night work outside permitted hours",
            occurred_at=alert(1).observed_at,
            source_event_id="ce-alert-1",
            source_event_type="tianmen.telemetry.alert_raised",
            points=5,
            rule_version="safety-points/2026.1",
        ),
        PointsDeducted(
            enterprise_id="ent-1",
            violation_id=violation_id,
            points=5,
            balance_after=95,
            cycle_year=2026,
            rule_version="safety-points/2026.1",
        ),
    ]


def test_crossing_threshold_suspends_bidding_once() -> None:
    state = given(*(alert(n) for n in range(7)))  # 100 - 7 * 5 = 65
    crossing = when(state, alert(7))
    assert kinds(crossing) == [ViolationRecorded, PointsDeducted, BiddingSuspended]
    assert crossing[2] == BiddingSuspended(
        enterprise_id="ent-1", cycle_year=2026, balance=60, threshold=60, rule_version=RULES.version
    )
    after = when(given(*(alert(n) for n in range(8))), alert(8))
    assert kinds(after) == [ViolationRecorded, PointsDeducted]


def test_zero_points_lists_enterprise_for_key_supervision() -> None:
    state = given(*(alert(n) for n in range(19)))  # balance 5
    events = when(state, alert(19))
    assert kinds(events) == [ViolationRecorded, PointsDeducted, KeySupervisionListed]
    assert events[2] == KeySupervisionListed(
        enterprise_id="ent-1", cycle_year=2026, rule_version=RULES.version
    )


def test_balance_never_goes_below_zero_and_listing_happens_once() -> None:
    heavy = PointsRules(
        version="heavy/1",
        initial_points=100,
        bidding_suspension_at=60,
        key_supervision_at=0,
        violations={
            AlertRule.NIGHT_WORK: ViolationRule(ViolationCode.NIGHT_WORK_WITHOUT_PERMIT, 30)
        },
    )
    state = given(*(alert(n) for n in range(3)), rules=heavy)  # balance 10
    last = when(state, alert(3), rules=heavy)
    assert last[1] == PointsDeducted(
        enterprise_id="ent-1",
        violation_id=violation_id_for(alert(3)),
        points=10,
        balance_after=0,
        cycle_year=2026,
        rule_version="heavy/1",
    )
    beyond = when(given(*(alert(n) for n in range(4)), rules=heavy), alert(4), rules=heavy)
    assert kinds(beyond) == [ViolationRecorded, PointsDeducted]
    assert isinstance(beyond[1], PointsDeducted) and beyond[1].balance_after == 0


def test_new_year_restores_initial_points() -> None:
    suspended_2026 = given(*(alert(n) for n in range(8)))
    new_year = datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI)
    events = when(suspended_2026, alert(100, at=new_year))
    assert kinds(events) == [ViolationRecorded, PointsDeducted]
    assert isinstance(events[1], PointsDeducted)
    assert (events[1].cycle_year, events[1].balance_after) == (2027, 95)


def test_suspension_is_per_cycle_so_a_new_year_can_suspend_again() -> None:
    new_year = datetime(2027, 2, 1, 23, 0, tzinfo=SHANGHAI)
    state = given(*(alert(n) for n in range(8)), *(alert(100 + n, at=new_year) for n in range(7)))
    events = when(state, alert(107, at=new_year))
    assert isinstance(events[-1], BiddingSuspended) and events[-1].cycle_year == 2027


def test_cycle_year_is_the_calendar_year_in_shanghai() -> None:
    just_after_midnight_in_shanghai = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)
    events = when(given(), alert(1, at=just_after_midnight_in_shanghai))
    assert isinstance(events[1], PointsDeducted) and events[1].cycle_year == 2027


def test_late_alert_deducts_from_the_cycle_it_happened_in() -> None:
    state = given(alert(1, at=datetime(2027, 1, 5, 23, 0, tzinfo=SHANGHAI)), alert(2))
    assert state.cycle(2027) is not None and state.cycle(2027).balance == 95  # type: ignore[union-attr]
    assert state.cycle(2026) is not None and state.cycle(2026).balance == 95  # type: ignore[union-attr]


def test_same_alert_twice_records_one_violation() -> None:
    assert when(given(alert(1)), alert(1)) == []


def test_alert_rule_missing_from_the_points_table_is_refused_naming_the_rule() -> None:
    without = PointsRules("safety-points/empty", 100, 60, 0, violations={})
    with pytest.raises(DomainError, match="'night_work' has no safety-points rule") as refused:
        when(given(), alert(1), rules=without)
    assert refused.value.field == "rule"


def test_fold_rebuilds_the_state_decide_built() -> None:
    state = Ledger("ent-1")
    history: list[DomainEvent] = []
    for n in range(9):
        new = when(state, alert(n))
        history += new
        for event in new:
            state = evolve(state, event)
    assert fold("ent-1", history) == state
    assert state.cycle(2026) == state.cycles[0]
    assert (state.cycles[0].balance, state.cycles[0].bidding_suspended) == (55, True)


def test_a_data_quality_alert_is_no_violation_while_its_violating_twin_is() -> None:
    assert when(given(), alert(1, rule="implausible_movement")) == []
    [violation, deducted] = when(given(), alert(2, rule="terminal_silent_and_moved"))
    assert isinstance(violation, ViolationRecorded) and isinstance(deducted, PointsDeducted)
    assert deducted.points == 10
