"""Submitting an application: the machine must be the enterprise's and in the right state,
the details what the kind needs, the attachments complete."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tianmen_events import DomainEvent
from tianmen_events.errors import DomainError, NotFound
from tianmen_events.registry import ApplicationKind, ApplicationSubmitted, Attachment

from tianmen_registry.domain.applications import Application, application_id_for
from tianmen_registry.domain.attachments import check_required
from tianmen_registry.domain.enterprises import Enterprise
from tianmen_registry.domain.jurisdictions import Jurisdictions
from tianmen_registry.domain.machine_state import Machine, Status
from tianmen_registry.domain.mortgages import refuse_unconsented_transfer

ALLOWED: Mapping[ApplicationKind, frozenset[Status]] = {
    ApplicationKind.REGISTRATION: frozenset({Status.PENDING}),
    ApplicationKind.ANNUAL_REVIEW: frozenset({Status.REGISTERED, Status.SUSPENDED}),
    ApplicationKind.CHANGE: frozenset({Status.REGISTERED}),
    ApplicationKind.TRANSFER: frozenset({Status.REGISTERED}),
    ApplicationKind.DEREGISTRATION: frozenset(
        {Status.PENDING, Status.REGISTERED, Status.SUSPENDED}
    ),
}
CHANGEABLE = frozenset({"model", "rated_power_kw", "jurisdiction_code"})


@dataclass(frozen=True)
class SubmitApplication:
    request_id: str
    kind: ApplicationKind
    enterprise_id: str
    machine_id: str
    attachments: tuple[Attachment, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    actor: str | None = None


@dataclass(frozen=True)
class Context:
    """What a submission is judged against, loaded by the handler."""

    existing: Application | None
    enterprise: Enterprise | None
    machine: Machine | None
    enterprise_exists: Callable[[str], bool]
    jurisdictions: Jurisdictions


def decide_submit(ctx: Context, cmd: SubmitApplication) -> list[DomainEvent]:
    if ctx.existing is not None:
        return []  # the same request again: already submitted
    machine = _machine_of(ctx, cmd)
    if machine.status not in ALLOWED[cmd.kind]:
        raise DomainError(
            f"a {machine.status} machine takes no {cmd.kind} application", field="kind"
        )
    _check_details(ctx, cmd, machine)
    check_required(cmd.kind, cmd.attachments)
    return [
        ApplicationSubmitted(
            application_id=application_id_for(cmd.enterprise_id, cmd.request_id),
            kind=cmd.kind,
            enterprise_id=cmd.enterprise_id,
            machine_id=machine.machine_id,
            jurisdiction_code=machine.jurisdiction_code,
            attachments=cmd.attachments,
            details=cmd.details,
            actor=cmd.actor,
        )
    ]


def _machine_of(ctx: Context, cmd: SubmitApplication) -> Machine:
    if ctx.enterprise is None:
        raise DomainError(f"no enterprise {cmd.enterprise_id} is registered", field="enterprise_id")
    if ctx.machine is None or ctx.machine.enterprise_id != cmd.enterprise_id:
        raise NotFound("the enterprise has no such machine", field="machine_id")
    return ctx.machine


def _check_details(ctx: Context, cmd: SubmitApplication, machine: Machine) -> None:
    if cmd.kind is ApplicationKind.CHANGE:
        unknown = sorted(set(cmd.details) - CHANGEABLE)
        if unknown or not cmd.details:
            raise DomainError(f"a change names some of {sorted(CHANGEABLE)}", field="details")
        if "jurisdiction_code" in cmd.details:
            ctx.jurisdictions.get(
                str(cmd.details["jurisdiction_code"]), "details.jurisdiction_code"
            )
    if cmd.kind is ApplicationKind.TRANSFER:
        to = str(cmd.details.get("to_enterprise_id", ""))
        if to == machine.enterprise_id or not ctx.enterprise_exists(to):
            raise DomainError(
                "name another registered enterprise", field="details.to_enterprise_id"
            )
        refuse_unconsented_transfer(machine, to)
