"""Use cases of the online counter: submit, accept, approve, reject, withdraw, flag overdue.

An approval appends to two aggregates in one transaction: the application and its machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from tianmen_events.registry import Attachment
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_registry.adapters import queries, reference
from tianmen_registry.adapters.orm import enterprises as enterprise_table
from tianmen_registry.adapters.orm_counter import applications as application_table
from tianmen_registry.domain import applications, approvals, enterprises, machines, submissions
from tianmen_registry.domain.submissions import SubmitApplication
from tianmen_registry.service_layer.recording import events_of, record, version_of


@dataclass(frozen=True)
class Decide:
    """A clerk's decision on an application: accept, approve, reject (with reason), withdraw."""

    application_id: str
    action: str
    reason: str = ""
    actor: str | None = None


def submit(cmd: SubmitApplication, uow: UnitOfWork, now: datetime) -> str:
    application_id = applications.application_id_for(cmd.enterprise_id, cmd.request_id)
    history = uow.events.load(application_id)
    ctx = submissions.Context(
        existing=applications.fold(events_of(history)),
        enterprise=enterprises.fold(events_of(uow.events.load(cmd.enterprise_id))),
        machine=machines.fold(events_of(uow.events.load(cmd.machine_id))),
        enterprise_exists=lambda e: _enterprise_exists(uow, e),
        jurisdictions=reference.current().jurisdictions,
    )
    new = submissions.decide_submit(ctx, _with_files(uow, cmd))
    record(uow, application_id, new, version_of(history), now)
    return application_id


def decide(cmd: Decide, uow: UnitOfWork, now: datetime) -> str:
    history = uow.events.load(cmd.application_id)
    state = applications.fold(events_of(history))
    if cmd.action == "accept":
        calendar = reference.current().calendar
        new = applications.decide_accept(state, now=now, calendar=calendar, actor=cmd.actor)
    elif cmd.action == "reject":
        new = applications.decide_reject(state, cmd.reason, cmd.actor)
    elif cmd.action == "withdraw":
        new = applications.decide_withdraw(state, cmd.actor)
    else:
        new = applications.decide_approve(state, cmd.actor)
        assert state is not None  # decide_approve refused a missing application
        _apply_to_machine(uow, state, now)
    record(uow, cmd.application_id, new, version_of(history), now)
    return cmd.application_id


def flag_overdue(as_of: datetime, uow: UnitOfWork, now: datetime) -> int:
    """Every accepted application past its due time at `as_of` gets its overdue event."""
    query = select(application_table.c.application_id).where(
        application_table.c.stage == "accepted",
        application_table.c.overdue.is_(False),
        application_table.c.due_at <= as_of,
    )
    flagged = 0
    for application_id in uow.conn.execute(query).scalars().all():
        history = uow.events.load(application_id)
        state = applications.fold(events_of(history))
        new = applications.decide_overdue(state, now=as_of)
        record(uow, application_id, new, version_of(history), as_of)
        flagged += len(new)
    return flagged


def _apply_to_machine(uow: UnitOfWork, app: applications.Application, now: datetime) -> None:
    history = uow.events.load(app.machine_id)
    machine = machines.fold(events_of(history))
    assert machine is not None  # an application is only submitted for a known machine
    effects = approvals.decide_effects(app, machine, now=now)
    record(uow, app.machine_id, effects, version_of(history), now)


def _with_files(uow: UnitOfWork, cmd: SubmitApplication) -> SubmitApplication:
    """The attachments as stored (media type, size, digest), refusing an unknown one."""
    files: Sequence[Attachment] = [
        queries.attachment(uow.conn, given.attachment_id, given.type) for given in cmd.attachments
    ]
    return SubmitApplication(**{**cmd.__dict__, "attachments": tuple(files)})


def _enterprise_exists(uow: UnitOfWork, enterprise_id: str) -> bool:
    query = select(enterprise_table.c.enterprise_id).where(
        enterprise_table.c.enterprise_id == enterprise_id
    )
    return uow.conn.execute(query).first() is not None
