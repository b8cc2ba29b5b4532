"""Staff's steps on a tip: submitted → assigned → verifying → verified / unfounded /
out of scope (or duplicate from any open step) → closed, each stage with a deadline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import singledispatch

from tianmen_events import DomainEvent
from tianmen_events.errors import Conflict, DomainError
from tianmen_events.reports import (
    TIP_VIOLATIONS,
    TipAssigned,
    TipClosed,
    TipDismissed,
    TipMerged,
    TipVerificationStarted,
    TipVerified,
)

from tianmen_reports.domain.commands import (
    AssignTip,
    CloseTip,
    DismissTip,
    MergeTip,
    PayReward,
    StaffAction,
    StartVerification,
    VerifyTip,
)
from tianmen_reports.domain.rewards import RewardRules, grant, pay
from tianmen_reports.domain.tip import Tip, TipStatus

OPEN = frozenset({TipStatus.SUBMITTED, TipStatus.ASSIGNED, TipStatus.VERIFYING})
DECIDED = frozenset(
    {TipStatus.VERIFIED, TipStatus.UNFOUNDED, TipStatus.OUT_OF_SCOPE, TipStatus.DUPLICATE}
)


@dataclass(frozen=True)
class WorkflowRules:
    version: str = "workflow/2026.1"
    assign_within: timedelta = timedelta(days=1)
    verify_within: timedelta = timedelta(days=5)
    rewards: RewardRules = field(default_factory=RewardRules)


def act(state: Tip, cmd: StaffAction, *, now: datetime, rules: WorkflowRules) -> list[DomainEvent]:
    """The events of a staff step, or a refusal naming why the tip cannot take it now."""
    event = _act(cmd, state, now, rules)
    if isinstance(event, TipVerified):
        return [event, grant(event, rules.rewards)]
    return [event]


def _require(state: Tip, allowed: frozenset[TipStatus], step: str) -> None:
    if state.status not in allowed:
        raise Conflict(f"a {state.status.value} tip cannot be {step}", field="status")


@singledispatch
def _act(cmd: object, state: Tip, now: datetime, rules: WorkflowRules) -> DomainEvent:
    raise TypeError(f"not a staff action: {cmd!r}")


@_act.register
def _assign(cmd: AssignTip, state: Tip, now: datetime, rules: WorkflowRules) -> DomainEvent:
    _require(state, frozenset({TipStatus.SUBMITTED, TipStatus.ASSIGNED}), "assigned")
    return TipAssigned(
        tip_id=state.tip_id,
        assignee=cmd.assignee,
        assigned_at=now,
        verify_by=now + rules.verify_within,
    )


@_act.register
def _start(cmd: StartVerification, state: Tip, now: datetime, rules: WorkflowRules) -> DomainEvent:
    _require(state, frozenset({TipStatus.ASSIGNED}), "verified before it is assigned")
    verify_by = state.due_at or now + rules.verify_within
    return TipVerificationStarted(
        tip_id=state.tip_id, verifier=cmd.verifier, started_at=now, verify_by=verify_by
    )


@_act.register
def _verify(cmd: VerifyTip, state: Tip, now: datetime, rules: WorkflowRules) -> DomainEvent:
    _require(state, frozenset({TipStatus.VERIFYING}), "verified")
    if not cmd.enterprise_id.strip():
        raise DomainError("a verified tip names the enterprise", field="enterprise_id")
    return TipVerified(
        tip_id=state.tip_id,
        category=state.category,
        violation_code=TIP_VIOLATIONS[state.category],
        enterprise_id=cmd.enterprise_id,
        machine_id=cmd.machine_id,
        major_hazard=cmd.major_hazard,
        jurisdiction=state.jurisdiction or "unrouted",
        latitude=state.latitude,
        longitude=state.longitude,
        observed_at=state.submitted_at,
        verified_at=now,
        verifier=cmd.verifier,
        reporter=state.reporter,
    )


@_act.register
def _dismiss(cmd: DismissTip, state: Tip, now: datetime, rules: WorkflowRules) -> DomainEvent:
    _require(state, frozenset({TipStatus.ASSIGNED, TipStatus.VERIFYING}), "dismissed")
    if not cmd.reason.strip():
        raise DomainError("say why the tip is dismissed", field="reason")
    return TipDismissed(
        tip_id=state.tip_id,
        outcome=cmd.outcome,
        reason=cmd.reason.strip(),
        dismissed_at=now,
        verifier=cmd.verifier,
    )


@_act.register
def _merge(cmd: MergeTip, state: Tip, now: datetime, rules: WorkflowRules) -> DomainEvent:
    _require(state, OPEN, "merged")
    if cmd.into_tip_id == state.tip_id:
        raise DomainError("a tip cannot be merged into itself", field="into_tip_id")
    return TipMerged(
        tip_id=state.tip_id, into_tip_id=cmd.into_tip_id, merged_at=now, actor=cmd.actor
    )


@_act.register
def _close(cmd: CloseTip, state: Tip, now: datetime, rules: WorkflowRules) -> DomainEvent:
    _require(state, DECIDED, "closed")
    return TipClosed(tip_id=state.tip_id, closed_at=now, actor=cmd.actor)


@_act.register
def _pay(cmd: PayReward, state: Tip, now: datetime, rules: WorkflowRules) -> DomainEvent:
    return pay(state, actor=cmd.actor, now=now)


def overdue(state: Tip, now: datetime) -> bool:
    return state.status in OPEN and state.due_at is not None and now > state.due_at
