"""What an approved application does to its machine."""

from __future__ import annotations

from datetime import date, datetime

from tianmen_events import DomainEvent, derive_id
from tianmen_events.registry import (
    AnnualReviewPassed,
    ApplicationKind,
    MachineDeregistered,
    MachineDetailsChanged,
    MachineTransferred,
    RegistrationNumberIssued,
    TerminalUnbound,
)

from tianmen_registry.domain.applications import Application
from tianmen_registry.domain.machine_state import Machine
from tianmen_registry.domain.mortgages import refuse_unconsented_transfer
from tianmen_registry.domain.workdays import CHINA


def registration_number_for(machine: Machine, year: int) -> str:
    """TM<year>-<8 characters derived from the machine>: printed on the plate and the QR code."""
    return f"TM{year}-{derive_id('registration-number', machine.machine_id)[:8].upper()}"


def next_review(day: date) -> date:
    """A year on; 29 February falls back to the 28th."""
    return day.replace(year=day.year + 1, day=min(day.day, 28) if day.month == 2 else day.day)


def decide_effects(app: Application, machine: Machine, *, now: datetime) -> list[DomainEvent]:
    today = now.astimezone(CHINA).date()
    base = {"machine_id": machine.machine_id, "enterprise_id": machine.enterprise_id}
    base |= {"application_id": app.application_id}
    if app.kind is ApplicationKind.REGISTRATION:
        number = registration_number_for(machine, today.year)
        return [
            RegistrationNumberIssued(
                **base, registration_number=number, next_review_due=next_review(today)
            )
        ]
    if app.kind is ApplicationKind.ANNUAL_REVIEW:
        return [AnnualReviewPassed(**base, next_review_due=next_review(today))]
    if app.kind is ApplicationKind.CHANGE:
        return [MachineDetailsChanged(**base, **app.details)]
    if app.kind is ApplicationKind.TRANSFER:
        to = str(app.details["to_enterprise_id"])
        refuse_unconsented_transfer(machine, to)
        return [
            MachineTransferred(
                **{**base, "enterprise_id": to}, from_enterprise_id=machine.enterprise_id
            )
        ]
    unbind: list[DomainEvent] = []
    if machine.terminal_id:
        unbind = [
            TerminalUnbound(
                machine_id=machine.machine_id,
                enterprise_id=machine.enterprise_id,
                terminal_id=machine.terminal_id,
                reason="deregistered",
            )
        ]
    return [*unbind, MachineDeregistered(**base)]
