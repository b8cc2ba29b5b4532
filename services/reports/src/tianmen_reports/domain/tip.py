"""A tip-off: its state folded from its events, with each step the reporter sees."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from functools import singledispatch

from tianmen_events import DomainEvent
from tianmen_events.reports import (
    RewardGranted,
    RewardPaid,
    TipAssigned,
    TipCategory,
    TipClosed,
    TipDismissed,
    TipHidden,
    TipMerged,
    TipRouted,
    TipSubmitted,
    TipVerificationStarted,
    TipVerified,
)


class TipStatus(StrEnum):
    SUBMITTED = "submitted"
    ASSIGNED = "assigned"
    VERIFYING = "verifying"
    VERIFIED = "verified"
    UNFOUNDED = "unfounded"
    OUT_OF_SCOPE = "out_of_scope"
    DUPLICATE = "duplicate"
    CLOSED = "closed"


@dataclass(frozen=True)
class Step:
    status: TipStatus
    at: datetime


@dataclass(frozen=True)
class Tip:
    tip_id: str
    category: TipCategory
    description: str
    latitude: float
    longitude: float
    photo_urls: tuple[str, ...]
    anonymous: bool
    has_contact: bool
    status: TipStatus
    submitted_at: datetime
    reporter: str | None = None
    media_ids: tuple[str, ...] = ()
    jurisdiction: str | None = None
    due_at: datetime | None = None  # deadline of the current stage
    steps: tuple[Step, ...] = ()
    merged_into: str | None = None
    reward_yuan: int | None = None
    major_hazard: bool = False
    verified_at: datetime | None = None
    hidden: bool = False
    reward_paid_at: datetime | None = None


def evolve(state: Tip | None, event: DomainEvent) -> Tip | None:
    return _evolve(event, state)


def fold(events: Iterable[DomainEvent], state: Tip | None = None) -> Tip | None:
    for event in events:
        state = evolve(state, event)
    return state


def _step(state: Tip, status: TipStatus, at: datetime, due: datetime | None = None) -> Tip:
    return replace(state, status=status, due_at=due, steps=(*state.steps, Step(status, at)))


@singledispatch
def _evolve(event: DomainEvent, state: Tip | None) -> Tip | None:
    return state  # an event the tip does not know (e.g. a contact reveal) changes nothing


@_evolve.register
def _submitted(event: TipSubmitted, state: Tip | None) -> Tip | None:
    return Tip(
        tip_id=event.tip_id,
        category=event.category,
        description=event.description,
        latitude=event.latitude,
        longitude=event.longitude,
        photo_urls=event.photo_urls,
        anonymous=event.anonymous,
        has_contact=event.has_contact,
        status=TipStatus.SUBMITTED,
        submitted_at=event.submitted_at,
        reporter=event.reporter,
        media_ids=event.media_ids,
        steps=(Step(TipStatus.SUBMITTED, event.submitted_at),),
    )


@_evolve.register
def _routed(event: TipRouted, state: Tip | None) -> Tip | None:
    return state and replace(state, jurisdiction=event.jurisdiction, due_at=event.assign_by)


@_evolve.register
def _assigned(event: TipAssigned, state: Tip | None) -> Tip | None:
    return state and _step(state, TipStatus.ASSIGNED, event.assigned_at, event.verify_by)


@_evolve.register
def _verifying(event: TipVerificationStarted, state: Tip | None) -> Tip | None:
    return state and _step(state, TipStatus.VERIFYING, event.started_at, event.verify_by)


@_evolve.register
def _verified(event: TipVerified, state: Tip | None) -> Tip | None:
    verified = state and _step(state, TipStatus.VERIFIED, event.verified_at)
    return verified and replace(
        verified, major_hazard=event.major_hazard, verified_at=event.verified_at
    )


@_evolve.register
def _dismissed(event: TipDismissed, state: Tip | None) -> Tip | None:
    return state and _step(state, TipStatus(event.outcome.value), event.dismissed_at)


@_evolve.register
def _merged(event: TipMerged, state: Tip | None) -> Tip | None:
    merged = state and _step(state, TipStatus.DUPLICATE, event.merged_at)
    return merged and replace(merged, merged_into=event.into_tip_id)


@_evolve.register
def _closed(event: TipClosed, state: Tip | None) -> Tip | None:
    return state and _step(state, TipStatus.CLOSED, event.closed_at)


@_evolve.register
def _reward_granted(event: RewardGranted, state: Tip | None) -> Tip | None:
    return state and replace(state, reward_yuan=event.amount_yuan)


@_evolve.register
def _reward_paid(event: RewardPaid, state: Tip | None) -> Tip | None:
    return state and replace(state, reward_paid_at=event.paid_at)


@_evolve.register
def _hidden(event: TipHidden, state: Tip | None) -> Tip | None:
    return state and replace(state, hidden=True)
