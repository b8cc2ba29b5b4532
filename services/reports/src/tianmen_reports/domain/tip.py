"""A tip-off: state folded from its events, and the decision to accept a submission."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import singledispatch

from tianmen_events import DomainEvent
from tianmen_events.errors import DomainError
from tianmen_events.reports import TipCategory, TipSubmitted

from tianmen_reports.domain.commands import SubmitTip
from tianmen_reports.domain.rules import TipRules, check


class TipStatus(StrEnum):
    SUBMITTED = "submitted"


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


def evolve(state: Tip | None, event: DomainEvent) -> Tip | None:
    return _evolve(event, state)


@singledispatch
def _evolve(event: DomainEvent, state: Tip | None) -> Tip | None:
    return state  # an event the tip does not know changes nothing


@_evolve.register
def _tip_submitted(event: TipSubmitted, state: Tip | None) -> Tip | None:
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
    )


def fold(events: Iterable[DomainEvent], state: Tip | None = None) -> Tip | None:
    for event in events:
        state = evolve(state, event)
    return state


def decide(
    state: Tip | None, cmd: SubmitTip, *, now: datetime, rules: TipRules
) -> list[DomainEvent]:
    """Accept a valid new tip; a retry of the same submission changes nothing."""
    check(cmd, rules)
    submitted = _submitted(cmd, now)
    if state is None:
        return [submitted]
    if not _same_submission(state, submitted):
        raise DomainError(
            "this Idempotency-Key was already used for a different tip",
            field="Idempotency-Key",
        )
    return []


def _submitted(cmd: SubmitTip, now: datetime) -> TipSubmitted:
    return TipSubmitted(
        tip_id=cmd.tip_id,
        category=cmd.category,
        description=cmd.description.strip(),
        latitude=cmd.latitude,
        longitude=cmd.longitude,
        photo_urls=cmd.photo_urls,
        anonymous=cmd.anonymous,
        has_contact=cmd.contact is not None,
        submitted_at=now,
        reporter=cmd.reporter,
        media_ids=cmd.media_ids,
    )


def _same_submission(state: Tip, again: TipSubmitted) -> bool:
    return (
        state.category,
        state.description,
        state.latitude,
        state.longitude,
        state.photo_urls,
        state.anonymous,
        state.has_contact,
        state.reporter,
        state.media_ids,
    ) == (
        again.category,
        again.description,
        again.latitude,
        again.longitude,
        again.photo_urls,
        again.anonymous,
        again.has_contact,
        again.reporter,
        again.media_ids,
    )
