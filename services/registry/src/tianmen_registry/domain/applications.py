"""The service application: submitted -> accepted -> approved / rejected / withdrawn.

Accepting sets the due time two working days on; an accepted application past it is flagged
overdue once (the sweep's time is the event's). What an approval does to the machine is
decided in `approvals`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from tianmen_events import DomainEvent, derive_id
from tianmen_events.errors import Conflict, DomainError, NotFound
from tianmen_events.registry import (
    ApplicationAccepted,
    ApplicationApproved,
    ApplicationKind,
    ApplicationOverdue,
    ApplicationRejected,
    ApplicationSubmitted,
    ApplicationWithdrawn,
)

from tianmen_registry.domain.workdays import WorkingCalendar, due_after

PROMISED_WORKING_DAYS = 2


class Stage(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


OPEN = frozenset({Stage.SUBMITTED, Stage.ACCEPTED})


@dataclass(frozen=True)
class Application:
    application_id: str
    kind: ApplicationKind
    enterprise_id: str
    machine_id: str
    details: dict[str, Any] = field(default_factory=dict)
    stage: Stage = Stage.SUBMITTED
    due_at: datetime | None = None
    overdue: bool = False


def application_id_for(enterprise_id: str, request_id: str) -> str:
    """One application per enterprise and request id: a resubmission is the same application."""
    return derive_id("application", enterprise_id, request_id)


_STAGES = {
    ApplicationApproved: Stage.APPROVED,
    ApplicationRejected: Stage.REJECTED,
    ApplicationWithdrawn: Stage.WITHDRAWN,
}


def evolve(state: Application | None, event: DomainEvent) -> Application | None:
    if isinstance(event, ApplicationSubmitted):
        return Application(
            event.application_id, event.kind, event.enterprise_id, event.machine_id, event.details
        )
    if state is None:
        return None
    if isinstance(event, ApplicationAccepted):
        return replace(state, stage=Stage.ACCEPTED, due_at=event.due_at)
    if isinstance(event, ApplicationOverdue):
        return replace(state, overdue=True)
    stage = _STAGES.get(type(event))
    return state if stage is None else replace(state, stage=stage)


def fold(events: Iterable[DomainEvent]) -> Application | None:
    state: Application | None = None
    for event in events:
        state = evolve(state, event)
    return state


def decide_accept(
    state: Application | None, *, now: datetime, calendar: WorkingCalendar, actor: str | None
) -> list[DomainEvent]:
    app = _in(state, Stage.SUBMITTED, "accepted")
    due = due_after(now, PROMISED_WORKING_DAYS, calendar)
    return [
        ApplicationAccepted(
            application_id=app.application_id,
            due_at=due.at,
            due_provisional=due.provisional,
            actor=actor,
        )
    ]


def decide_reject(state: Application | None, reason: str, actor: str | None) -> list[DomainEvent]:
    app = _in(state, Stage.ACCEPTED, "rejected")
    if not reason.strip():
        raise DomainError("a rejection gives its reason", field="reason")
    return [
        ApplicationRejected(application_id=app.application_id, reason=reason.strip(), actor=actor)
    ]


def decide_withdraw(state: Application | None, actor: str | None) -> list[DomainEvent]:
    app = _existing(state)
    if app.stage not in OPEN:
        raise Conflict(f"the application is already {app.stage}", field="application_id")
    return [ApplicationWithdrawn(application_id=app.application_id, actor=actor)]


def decide_approve(state: Application | None, actor: str | None) -> list[DomainEvent]:
    app = _in(state, Stage.ACCEPTED, "approved")
    return [ApplicationApproved(application_id=app.application_id, actor=actor)]


def decide_overdue(state: Application | None, *, now: datetime) -> list[DomainEvent]:
    """Flag an accepted application past its due time, once; otherwise nothing."""
    if state is None or state.stage is not Stage.ACCEPTED or state.overdue:
        return []
    if state.due_at is None or now < state.due_at:
        return []
    return [ApplicationOverdue(application_id=state.application_id, due_at=state.due_at)]


def _existing(state: Application | None) -> Application:
    if state is None:
        raise NotFound("no such application", field="application_id")
    return state


def _in(state: Application | None, stage: Stage, becoming: str) -> Application:
    app = _existing(state)
    if app.stage is not stage:
        raise Conflict(
            f"a {app.stage} application cannot be {becoming} (it must be {stage})",
            field="application_id",
        )
    return app
