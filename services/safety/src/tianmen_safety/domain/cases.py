"""A case on the enforcement desk: opened by an alert or a verified tip, decided by staff (or by
rule when its code is self-evident), escalated by event time when a tier lets it lapse.

`decide`-style functions take the case as its row holds it and return the event, or refuse
with `Conflict` (the case is not in a state that allows it) or `DomainError` (bad input).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import singledispatch

from tianmen_events import DomainEvent
from tianmen_events.codes import ViolationCode
from tianmen_events.errors import Conflict, DomainError
from tianmen_events.frozen import assembled
from tianmen_events.safety.cases import (
    AppealUpheld,
    CaseAcknowledged,
    CaseConfirmed,
    CaseDismissed,
    CaseEscalated,
    CaseOpened,
    Tier,
    docket_of,
)

from tianmen_safety.domain.case_rules import CaseRules


class CaseState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    REVOKED = "revoked"


PENDING = frozenset({CaseState.OPEN, CaseState.ACKNOWLEDGED})


@dataclass(frozen=True)
class Case:
    case_id: str
    enterprise_id: str
    violation_id: str
    code: ViolationCode
    tier: Tier
    state: CaseState
    due_at: datetime | None = None

    @property
    def keys(self) -> dict[str, str]:
        ids = {"case_id": self.case_id, "enterprise_id": self.enterprise_id}
        return {"docket_id": docket_of(self.enterprise_id), **ids}


def opened(event: CaseOpened) -> Case:
    return assembled(  # every field, in order (`tianmen_events.frozen`): once an opening
        Case,
        {
            "case_id": event.case_id,
            "enterprise_id": event.enterprise_id,
            "violation_id": event.violation_id,
            "code": event.code,
            "tier": event.tier,
            "state": CaseState.OPEN,
            "due_at": event.due_at,
        },
    )


def evolve(case: Case, event: DomainEvent) -> Case:
    """Apply a docket event; one that no longer fits (a late escalation) changes nothing and
    gives back the case itself (`is`: the case map writes only the cases that moved)."""
    step = _STEPS.get(type(event))
    if step is None:
        step = _STEPS[type(event)] = _evolve.dispatch(type(event))
    return step(event, case)


@singledispatch
def _evolve(event: DomainEvent, case: Case) -> Case:
    return case


_STEPS: dict[type, Callable[[DomainEvent, Case], Case]] = {}
"""`_evolve`'s implementation for each exact type met, a dict's look-up: `singledispatch`'s
wrapper and its weak-keyed cache cost ~0.5 us an event (twice an alert in a replay). Every
implementation is registered at import, before any is looked up here."""


def _moved(case: Case, state: CaseState, tier: Tier, due_at: datetime | None) -> Case:
    """The case after a docket event, assembled (once per event: `dataclasses.replace` costs
    several times more, the constructor's seven `object.__setattr__` twice as much)."""
    return assembled(
        Case,
        {
            "case_id": case.case_id,
            "enterprise_id": case.enterprise_id,
            "violation_id": case.violation_id,
            "code": case.code,
            "tier": tier,
            "state": state,
            "due_at": due_at,
        },
    )


@_evolve.register
def _(event: CaseAcknowledged, case: Case) -> Case:
    return (
        _moved(case, CaseState.ACKNOWLEDGED, case.tier, case.due_at)
        if case.state is CaseState.OPEN
        else case
    )


@_evolve.register
def _(event: CaseConfirmed, case: Case) -> Case:
    return _moved(case, CaseState.CONFIRMED, case.tier, None) if case.state in PENDING else case


@_evolve.register
def _(event: CaseDismissed, case: Case) -> Case:
    return _moved(case, CaseState.DISMISSED, case.tier, None) if case.state in PENDING else case


@_evolve.register
def _(event: CaseEscalated, case: Case) -> Case:
    if case.state not in PENDING or case.tier is not event.from_tier:
        return case
    return _moved(case, case.state, event.to_tier, event.due_at)


@_evolve.register
def _(event: AppealUpheld, case: Case) -> Case:
    return (
        _moved(case, CaseState.REVOKED, case.tier, case.due_at)
        if case.state is CaseState.CONFIRMED
        else case
    )


def acknowledge(case: Case, *, actor: str, at: datetime) -> CaseAcknowledged:
    _require(case, {CaseState.OPEN}, "acknowledged")
    return CaseAcknowledged(**case.keys, actor=actor, at=at)


def confirm(case: Case, *, actor: str, at: datetime) -> CaseConfirmed:
    _require(case, PENDING, "confirmed")
    return CaseConfirmed(**case.keys, actor=actor, at=at, automatic=False)


def dismiss(case: Case, *, actor: str, reason: str, at: datetime) -> CaseDismissed:
    _require(case, PENDING, "dismissed")
    return CaseDismissed(**case.keys, actor=actor, reason=_reason(reason), at=at)


def uphold_appeal(case: Case, *, actor: str, reason: str, at: datetime) -> AppealUpheld:
    """Only a confirmed case has a violation to revoke."""
    _require(case, {CaseState.CONFIRMED}, "revoked on appeal")
    return AppealUpheld(
        **case.keys, violation_id=case.violation_id, actor=actor, reason=_reason(reason), at=at
    )


def escalate(case: Case, now: datetime, rules: CaseRules) -> CaseEscalated | None:
    """The escalation a case is due by `now` (an event's time), dated at its deadline."""
    if case.state not in PENDING or case.due_at is None or case.due_at > now:
        return None
    above = rules.above(case.tier)
    if above is None:
        return None
    return CaseEscalated(
        **case.keys,
        from_tier=case.tier,
        to_tier=above,
        at=case.due_at,
        due_at=rules.due(above, case.due_at),
    )


def send_up(
    case: Case, *, actor: str, reason: str, at: datetime, rules: CaseRules
) -> CaseEscalated:
    """Staff hand a pending case to the next tier with a reason, before its deadline if they
    judge it beyond them; the next tier's deadline runs from now."""
    _require(case, PENDING, "escalated")
    above = rules.above(case.tier)
    if above is None:
        raise Conflict(f"case {case.case_id} is with the city: there is no tier above")
    return CaseEscalated(
        **case.keys,
        from_tier=case.tier,
        to_tier=above,
        at=at,
        due_at=rules.due(above, at),
        actor=actor,
        reason=_reason(reason),
    )


def _require(case: Case, states: frozenset[CaseState] | set[CaseState], becoming: str) -> None:
    if case.state not in states:
        raise Conflict(f"case {case.case_id} is {case.state}: it cannot be {becoming}")


def _reason(reason: str) -> str:
    if not reason.strip():
        raise DomainError("a reason is required", field="reason")
    return reason.strip()
