"""Given a tip's history, when staff take a step, then these events (or a refusal); rewards:
the first reporter of a verified tip earns the table's amount once, paid once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tianmen_events import DomainEvent
from tianmen_events.codes import ViolationCode
from tianmen_events.errors import Conflict, DomainError
from tianmen_events.reports import (
    RewardGranted,
    RewardPaid,
    TipCategory,
    TipOutcome,
    TipRouted,
    TipSubmitted,
    TipVerified,
)
from tianmen_reports.domain import commands as c
from tianmen_reports.domain.rewards import RewardRules
from tianmen_reports.domain.tip import Tip, TipStatus, fold
from tianmen_reports.domain.workflow import WorkflowRules, act, overdue

T0 = datetime(2026, 5, 12, 23, 30, tzinfo=UTC)
RULES = WorkflowRules()
ID = "tip-1"


def given(*steps: c.StaffAction, category: TipCategory = TipCategory.NIGHT_WORK) -> Tip:
    history: list[DomainEvent] = [
        TipSubmitted(
            tip_id=ID,
            category=category,
            description="夜间作业",
            latitude=30.66,
            longitude=113.16,
            anonymous=True,
            has_contact=False,
            submitted_at=T0,
            reporter="p-1",
        ),
        TipRouted(
            tip_id=ID,
            jurisdiction="429006001",
            routed_at=T0,
            assign_by=T0 + timedelta(days=1),
            rules_version="j-1",
        ),
    ]
    tip = fold(history)
    assert tip is not None
    for hour, step in enumerate(steps, start=1):
        tip = fold(act(tip, step, now=T0 + timedelta(hours=hour), rules=RULES), tip)
        assert tip is not None
    return tip


ASSIGN = c.AssignTip(ID, "staff-1")
START = c.StartVerification(ID, "staff-1")
VERIFY = c.VerifyTip(ID, "staff-1", enterprise_id="ent-9", major_hazard=True, machine_id="m-3")


def test_a_verified_tip_names_enterprise_machine_hazard_and_the_violation() -> None:
    tip = given(ASSIGN, START)
    event, _reward = act(tip, VERIFY, now=T0 + timedelta(hours=5), rules=RULES)
    assert isinstance(event, TipVerified)
    assert (event.enterprise_id, event.machine_id, event.major_hazard) == ("ent-9", "m-3", True)
    assert event.violation_code is ViolationCode.NIGHT_WORK_WITHOUT_PERMIT
    assert (event.jurisdiction, event.reporter, event.observed_at) == ("429006001", "p-1", T0)


def test_every_step_is_seen_by_the_reporter_in_order() -> None:
    tip = given(ASSIGN, START, VERIFY, c.CloseTip(ID, "staff-2"))
    assert [s.status for s in tip.steps] == [
        TipStatus.SUBMITTED,
        TipStatus.ASSIGNED,
        TipStatus.VERIFYING,
        TipStatus.VERIFIED,
        TipStatus.CLOSED,
    ]
    assert tip.steps[-1].at == T0 + timedelta(hours=4)


def test_each_stage_has_a_deadline() -> None:
    routed = given()
    assert routed.due_at == T0 + timedelta(days=1)
    assert not overdue(routed, T0 + timedelta(hours=23))
    assert overdue(routed, T0 + timedelta(days=1, seconds=1))
    assigned = given(ASSIGN)
    assert assigned.due_at == T0 + timedelta(hours=1) + RULES.verify_within
    assert not overdue(given(ASSIGN, START, VERIFY), T0 + timedelta(days=30))


@pytest.mark.parametrize(
    ("steps", "then"),
    [
        ((), START),
        ((), VERIFY),
        ((ASSIGN,), VERIFY),
        ((ASSIGN, START, VERIFY), VERIFY),
        ((ASSIGN,), c.CloseTip(ID, "s")),
        ((ASSIGN, START, VERIFY, c.CloseTip(ID, "s")), c.MergeTip(ID, "tip-0", "s")),
    ],
)
def test_a_step_out_of_order_is_refused_naming_the_status(
    steps: tuple[c.StaffAction, ...], then: c.StaffAction
) -> None:
    with pytest.raises(Conflict) as refused:
        act(given(*steps), then, now=T0 + timedelta(days=1), rules=RULES)
    assert refused.value.field == "status"


def test_a_dismissed_tip_records_its_outcome_and_can_be_closed() -> None:
    dismiss = c.DismissTip(ID, "staff-1", TipOutcome.UNFOUNDED, "现场无施工")
    tip = given(ASSIGN, START, dismiss, c.CloseTip(ID, "s"))
    assert [s.status for s in tip.steps][-2:] == [TipStatus.UNFOUNDED, TipStatus.CLOSED]
    with pytest.raises(DomainError) as blank:
        act(
            given(ASSIGN), c.DismissTip(ID, "s", TipOutcome.OUT_OF_SCOPE, "  "), now=T0, rules=RULES
        )
    assert blank.value.field == "reason"


def test_a_duplicate_points_at_the_tip_it_joins_and_not_at_itself() -> None:
    tip = given(c.MergeTip(ID, "tip-0", "staff-1"))
    assert (tip.status, tip.merged_into) == (TipStatus.DUPLICATE, "tip-0")
    with pytest.raises(DomainError) as itself:
        act(given(), c.MergeTip(ID, ID, "s"), now=T0, rules=RULES)
    assert itself.value.field == "into_tip_id"


@pytest.mark.parametrize("category", list(TipCategory))
def test_every_category_becomes_a_violation_code_when_verified(category: TipCategory) -> None:
    tip = given(ASSIGN, START, category=category)
    event, _reward = act(tip, VERIFY, now=T0 + timedelta(hours=5), rules=RULES)
    assert isinstance(event, TipVerified)
    assert event.violation_code in ViolationCode


def verify(major: bool) -> c.VerifyTip:
    return c.VerifyTip(ID, "s", enterprise_id="e", major_hazard=major)


@pytest.mark.parametrize(
    ("category", "major", "yuan"),
    [
        (TipCategory.NIGHT_WORK, False, 50),
        (TipCategory.NIGHT_WORK, True, 200),
        (TipCategory.UNSAFE_HOISTING, False, 100),
        (TipCategory.UNSAFE_HOISTING, True, 500),
    ],
)
def test_a_verified_tip_earns_the_amount_of_its_category_and_severity(
    category: TipCategory, major: bool, yuan: int
) -> None:
    tip = given(ASSIGN, START, category=category)
    _verified, granted = act(tip, verify(major), now=T0 + timedelta(hours=9), rules=WorkflowRules())
    assert isinstance(granted, RewardGranted)
    assert (granted.amount_yuan, granted.reporter) == (yuan, "p-1")
    assert granted.rules_version == RewardRules().version


def test_a_reward_is_paid_once_and_only_if_earned() -> None:
    rules = WorkflowRules()
    with pytest.raises(Conflict):
        act(given(ASSIGN), c.PayReward(ID, "cashier"), now=T0, rules=rules)
    tip = given(ASSIGN, START, verify(False))
    [paid] = act(tip, c.PayReward(ID, "cashier"), now=T0 + timedelta(days=2), rules=rules)
    assert isinstance(paid, RewardPaid) and paid.amount_yuan == 50
    after = fold([paid], tip)
    assert after is not None
    with pytest.raises(Conflict):
        act(after, c.PayReward(ID, "cashier"), now=T0 + timedelta(days=3), rules=rules)


def test_a_duplicate_is_never_verified_so_never_rewarded() -> None:
    tip = given(c.MergeTip(ID, "tip-0", "s"))
    with pytest.raises(Conflict):
        act(tip, verify(True), now=T0, rules=WorkflowRules())
