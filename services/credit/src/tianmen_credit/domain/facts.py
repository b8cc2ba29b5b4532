"""Facts: the events credit counts, reduced to what a model needs, on two time axes.

`at` is event time (when it happened, as the event says); `recorded_at` is when the system
learnt of it (the log's record time). Both come from the log, never from a clock, so a replay
sees the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from functools import singledispatch

from tianmen_events import DomainEvent
from tianmen_events.codes import ViolationCode
from tianmen_events.credit import CreditRepairDecided
from tianmen_events.frozen import assembled
from tianmen_events.registry.lifecycle import (
    AnnualReviewOverdue,
    AnnualReviewPassed,
    RegistrationNumberIssued,
)
from tianmen_events.registry.sites import MaintenanceRecorded
from tianmen_events.reports import TipVerified
from tianmen_events.safety import BiddingSuspended, KeySupervisionListed, ViolationRecorded

SELF_INSPECTION_KINDS = frozenset({"self_inspection", "self-inspection"})
INSPECTION_KINDS = frozenset({"inspection"})


@dataclass(frozen=True)
class Fact:
    event_id: str
    kind: str
    enterprise_id: str
    at: datetime
    recorded_at: datetime
    code: str = ""  # a violation's code (or a tip's); a review's due day (ISO, see below)
    severity: str = ""  # a violation's severity
    points: int = 0
    target: str = ""  # an approved repair: the event whose deduction it repairs


DEDUCTIONS = frozenset(
    {
        "violation",
        "bidding_suspended",
        "key_supervision_listed",
        "tip_verified",
        "major_hazard",
        "annual_review_overdue",
    }
)
"""Kinds of fact whose deduction an enterprise may apply to have repaired."""

COUNTED = (
    ViolationRecorded,
    BiddingSuspended,
    KeySupervisionListed,
    TipVerified,
    MaintenanceRecorded,
    AnnualReviewPassed,
    AnnualReviewOverdue,
    RegistrationNumberIssued,
    CreditRepairDecided,
)
"""The event classes credit derives facts from (a refused repair yields none)."""


def fact_of(event: DomainEvent, event_id: str, at: datetime, recorded_at: datetime) -> list[Fact]:
    """The facts one event holds for credit (none if credit does not count it)."""
    return _facts(event, event_id, at, recorded_at)


@singledispatch
def _facts(event: DomainEvent, event_id: str, at: datetime, rec: datetime) -> list[Fact]:
    return []


@_facts.register
def _violation(event: ViolationRecorded, event_id: str, at: datetime, rec: datetime) -> list[Fact]:
    severity = str(ViolationCode(event.code).about.severity)
    fact: Fact = assembled(  # once a violation: every field, in order (`tianmen_events.frozen`)
        Fact,
        {
            "event_id": event_id,
            "kind": "violation",
            "enterprise_id": event.enterprise_id,
            "at": event.occurred_at,
            "recorded_at": rec,
            "code": str(event.code),
            "severity": severity,
            "points": event.points,
            "target": "",
        },
    )
    return [fact]


@_facts.register
def _bidding(event: BiddingSuspended, event_id: str, at: datetime, rec: datetime) -> list[Fact]:
    return [Fact(event_id, "bidding_suspended", event.enterprise_id, at, rec)]


@_facts.register
def _key(event: KeySupervisionListed, event_id: str, at: datetime, rec: datetime) -> list[Fact]:
    return [Fact(event_id, "key_supervision_listed", event.enterprise_id, at, rec)]


@_facts.register
def _tip(event: TipVerified, event_id: str, at: datetime, rec: datetime) -> list[Fact]:
    tip = Fact(
        event_id,
        "tip_verified",
        event.enterprise_id,
        event.verified_at,
        rec,
        str(event.violation_code),
    )
    if not event.major_hazard:
        return [tip]
    hazard = Fact(f"{event_id}#hazard", "major_hazard", event.enterprise_id, event.verified_at, rec)
    return [tip, hazard]


@_facts.register
def _maintenance(
    event: MaintenanceRecorded, event_id: str, at: datetime, rec: datetime
) -> list[Fact]:
    kind = event.kind.lower()
    if kind in SELF_INSPECTION_KINDS:
        name = "self_inspection"
    elif kind in INSPECTION_KINDS:
        name = "inspection_passed"
    else:
        name = "maintenance"
    day = datetime.combine(event.performed_on, time(), tzinfo=at.tzinfo)
    return [Fact(event_id, name, event.enterprise_id, day, rec)]


@_facts.register
def _registered(
    event: RegistrationNumberIssued, event_id: str, at: datetime, rec: datetime
) -> list[Fact]:
    """The machine's first review due day (weighs nothing; `domain/reviews.py` reads it)."""
    due = event.next_review_due.isoformat()
    return [
        Fact(event_id, "review_due", event.enterprise_id, at, rec, due, target=event.machine_id)
    ]


@_facts.register
def _review(event: AnnualReviewPassed, event_id: str, at: datetime, rec: datetime) -> list[Fact]:
    """A pass, with the machine and its next due day: whether it was on time is the ledger's
    to tell from the due day before it (`domain/reviews.py`)."""
    due = event.next_review_due.isoformat()
    return [
        Fact(
            event_id,
            "annual_review_passed",
            event.enterprise_id,
            at,
            rec,
            due,
            target=event.machine_id,
        )
    ]


@_facts.register
def _overdue(event: AnnualReviewOverdue, event_id: str, at: datetime, rec: datetime) -> list[Fact]:
    """A review not passed by its due day, as registry's sweep found it (at the sweep's event
    time): what a model that rewards only timely reviews weighs against the enterprise."""
    due = event.due_on.isoformat()
    return [
        Fact(
            event_id,
            "annual_review_overdue",
            event.enterprise_id,
            at,
            rec,
            due,
            target=event.machine_id,
        )
    ]


@_facts.register
def _repair(event: CreditRepairDecided, event_id: str, at: datetime, rec: datetime) -> list[Fact]:
    if not event.approved:
        return []
    return [
        Fact(
            event_id,
            "repair_approved",
            event.enterprise_id,
            event.decided_at,
            rec,
            target=event.target_event_id,
        )
    ]
