"""The decision to accept a submitted tip (a retry of the same submission changes nothing)."""

from __future__ import annotations

from datetime import datetime

from tianmen_events import DomainEvent
from tianmen_events.errors import DomainError
from tianmen_events.reports import TipSubmitted

from tianmen_reports.domain.commands import SubmitTip
from tianmen_reports.domain.rules import TipRules, check
from tianmen_reports.domain.tip import Tip


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
