"""The credit score, given/when/then over events: given earlier changes, when a safety fact..."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from tianmen_credit.domain.model import MODEL
from tianmen_credit.domain.score import CreditScore, decide, evolve, fold, initial
from tianmen_events import DomainEvent
from tianmen_events.credit import CreditReason, CreditScoreChanged
from tianmen_events.safety import (
    BiddingSuspended,
    KeySupervisionListed,
    PointsDeducted,
    ViolationRecorded,
)

AT = datetime(2026, 3, 10, 23, 40, tzinfo=timezone(timedelta(hours=8)))


def violation(n: int = 1, points: int = 5) -> ViolationRecorded:
    return ViolationRecorded(
        enterprise_id="ent-1",
        violation_id=f"v{n}",
        machine_id="machine-1",
        code="night_work_without_permit",
        description="夜间违规作业 / night work outside permitted hours",
        occurred_at=AT,
        source_event_id=f"alert-{n}",
        source_event_type="tianmen.telemetry.alert_raised",
        points=points,
        rule_version="safety-points/2026.1",
    )


SUSPENDED = BiddingSuspended(
    enterprise_id="ent-1", cycle_year=2026, balance=60, threshold=60, rule_version="r"
)
LISTED = KeySupervisionListed(enterprise_id="ent-1", cycle_year=2026, rule_version="r")


NONE: frozenset[str] = frozenset()  # no event counted yet


def at_score(score: int) -> CreditScore:
    return CreditScore("ent-1", score, MODEL.grade(score))


def only(events: list[DomainEvent]) -> CreditScoreChanged:
    assert len(events) == 1 and isinstance(events[0], CreditScoreChanged)
    return events[0]


def test_violation_lowers_score_and_names_the_violation() -> None:
    assert decide(initial("ent-1", MODEL), "ce-v1", violation(), counted=NONE, model=MODEL) == [
        CreditScoreChanged(
            enterprise_id="ent-1",
            score_before=100,
            score=90,
            grade_before="A",
            grade="A",
            procurement_restricted=False,
            model_version="credit/2026.1",
            reasons=(
                CreditReason(
                    event_id="ce-v1",
                    event_type="tianmen.safety.violation_recorded",
                    description="violation night_work_without_permit: "
                    "夜间违规作业 / night work outside permitted hours (-10)",
                    delta=-10,
                ),
            ),
        )
    ]


def test_bidding_suspension_costs_ten_and_key_supervision_twenty() -> None:
    suspended = only(decide(at_score(80), "ce-s", SUSPENDED, counted=NONE, model=MODEL))
    assert (suspended.score, suspended.grade_before, suspended.grade) == (70, "B", "C")
    assert "bidding suspended" in suspended.reasons[0].description
    listed = only(decide(at_score(80), "ce-l", LISTED, counted=NONE, model=MODEL))
    assert (listed.score, listed.reasons[0].delta) == (60, -20)
    assert listed.reasons[0].event_type == "tianmen.safety.key_supervision_listed"


def test_points_deducted_changes_nothing() -> None:
    deducted = PointsDeducted(
        enterprise_id="ent-1",
        violation_id="v1",
        points=5,
        balance_after=95,
        cycle_year=2026,
        rule_version="r",
    )
    assert decide(initial("ent-1", MODEL), "ce-d", deducted, counted=NONE, model=MODEL) == []


def test_an_event_already_counted_changes_nothing() -> None:
    state = evolve(
        initial("ent-1", MODEL),
        only(decide(at_score(100), "ce-v1", violation(), counted=NONE, model=MODEL)),
    )
    assert state.score == 90
    assert decide(state, "ce-v1", violation(), counted={"ce-v1"}, model=MODEL) == []


@pytest.mark.parametrize(
    ("score", "grade"),
    [(100, "A"), (90, "A"), (89, "B"), (80, "B"), (79, "C"), (70, "C"), (69, "D"), (0, "D")],
)
def test_grade_bands(score: int, grade: str) -> None:
    assert MODEL.grade(score) == grade
    assert MODEL.procurement_restricted(grade) is (grade == "D")


def test_falling_to_grade_d_restricts_procurement() -> None:
    change = only(decide(at_score(72), "ce-v1", violation(), counted=NONE, model=MODEL))
    assert (change.score, change.grade_before, change.grade) == (62, "C", "D")
    assert change.procurement_restricted is True


def test_score_is_floored_at_zero_and_the_reason_records_the_change_applied() -> None:
    change = only(decide(at_score(5), "ce-l", LISTED, counted=NONE, model=MODEL))
    [reason] = change.reasons
    assert (change.score_before, change.score, reason.delta) == (5, 0, -5)
    assert reason.description == (
        "listed for key supervision in 2026 (-20); the score is floored at 0, so it changed by -5"
    )


def test_at_zero_a_further_penalty_is_counted_but_changes_nothing() -> None:
    change = only(decide(at_score(0), "ce-l", LISTED, counted=NONE, model=MODEL))
    assert (change.score_before, change.score, change.reasons[0].delta) == (0, 0, 0)
    assert change.reasons[0].description.endswith("floored at 0, so it did not change")


def test_fold_rebuilds_the_state_decide_built() -> None:
    state, history = initial("ent-1", MODEL), []
    for event_id, fact in [("ce-1", violation(1)), ("ce-2", SUSPENDED), ("ce-3", violation(3))]:
        new = decide(state, event_id, fact, counted=NONE, model=MODEL)
        history += new
        state = evolve(state, new[0])
    assert fold("ent-1", history, MODEL) == state
    assert (state.score, state.grade) == (70, "C")
    assert [reason.event_id for change in history for reason in only([change]).reasons] == [
        "ce-1",
        "ce-2",
        "ce-3",
    ]
