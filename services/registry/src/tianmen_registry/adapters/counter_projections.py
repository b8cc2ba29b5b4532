"""Application events applied to the `applications` table: stage, due time, handling time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from tianmen_events import EventMeta
from tianmen_events.registry import (
    ApplicationAccepted,
    ApplicationApproved,
    ApplicationOverdue,
    ApplicationRejected,
    ApplicationSubmitted,
    ApplicationWithdrawn,
)
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_registry.adapters import reference
from tianmen_registry.adapters.orm_counter import applications
from tianmen_registry.domain.workdays import working_days_between


def utc(moment: datetime) -> datetime:
    """Stored as UTC; SQLite hands datetimes back naive, so naive means UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _set(uow: UnitOfWork, application_id: str, **values: Any) -> None:
    where = applications.c.application_id == application_id
    uow.conn.execute(update(applications).where(where).values(**values))


def submitted(event: ApplicationSubmitted, meta: EventMeta, uow: UnitOfWork) -> None:
    row = event.model_dump(include={"application_id", "kind", "enterprise_id", "machine_id"})
    row |= {"jurisdiction_code": event.jurisdiction_code, "stage": "submitted"}
    uow.conn.execute(insert(applications).values(**row, submitted_at=utc(meta.time)))


def accepted(event: ApplicationAccepted, meta: EventMeta, uow: UnitOfWork) -> None:
    due = {"due_at": utc(event.due_at), "due_provisional": event.due_provisional}
    _set(uow, event.application_id, stage="accepted", accepted_at=utc(meta.time), **due)


def overdue(event: ApplicationOverdue, _: EventMeta, uow: UnitOfWork) -> None:
    _set(uow, event.application_id, overdue=True)


def approved(event: ApplicationApproved, meta: EventMeta, uow: UnitOfWork) -> None:
    _decided(uow, event.application_id, meta.time, "approved", None)


def rejected(event: ApplicationRejected, meta: EventMeta, uow: UnitOfWork) -> None:
    _decided(uow, event.application_id, meta.time, "rejected", event.reason)


def withdrawn(event: ApplicationWithdrawn, meta: EventMeta, uow: UnitOfWork) -> None:
    _set(uow, event.application_id, stage="withdrawn", decided_at=utc(meta.time))


def _decided(
    uow: UnitOfWork, application_id: str, at: datetime, stage: str, reason: str | None
) -> None:
    """Handling time runs from submission to decision, in hours and in working days."""
    query = select(applications.c.submitted_at).where(
        applications.c.application_id == application_id
    )
    start = utc(uow.conn.execute(query).scalar_one())
    days = working_days_between(start, at, reference.current().calendar)
    hours = (utc(at) - start).total_seconds() / 3600
    _set(
        uow,
        application_id,
        stage=stage,
        reason=reason,
        decided_at=utc(at),
        handling_hours=hours,
        handling_working_days=days,
    )


COUNTER = (
    EventHandlers()
    .on(ApplicationSubmitted, submitted)
    .on(ApplicationAccepted, accepted)
    .on(ApplicationOverdue, overdue)
    .on(ApplicationApproved, approved)
    .on(ApplicationRejected, rejected)
    .on(ApplicationWithdrawn, withdrawn)
)
