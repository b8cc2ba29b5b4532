"""A machine's state, folded from its events: identity, owner, status, terminal, pledges."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import singledispatch

from tianmen_events import DomainEvent
from tianmen_events.registry import (
    AnnualReviewOverdue,
    AnnualReviewPassed,
    FuelTankAmended,
    LenderConsentRecorded,
    MachineDeregistered,
    MachineDetailsChanged,
    MachineKind,
    MachineRegistered,
    MachineReinstated,
    MachineSuspended,
    MachineTransferred,
    MortgageRegistered,
    MortgageReleased,
    RegistrationNumberIssued,
    TerminalBound,
    TerminalUnbound,
)


class Status(StrEnum):
    PENDING = "pending"
    REGISTERED = "registered"
    SUSPENDED = "suspended"
    DEREGISTERED = "deregistered"


@dataclass(frozen=True)
class Machine:
    machine_id: str
    enterprise_id: str
    kind: MachineKind
    brand: str
    model: str
    serial_number: str
    jurisdiction_code: str
    terminal_id: str | None = None
    registration_number: str | None = None
    next_review_due: date | None = None
    suspended: bool = False
    deregistered: bool = False
    mortgages: tuple[tuple[str, str], ...] = ()  # active (mortgage id, lender)
    consents: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # (mortgage, to)
    review_flagged_for: date | None = None  # the due date already reported overdue
    fuel_tank_litres: float | None = None  # as registered, then as amended

    @property
    def status(self) -> Status:
        if self.deregistered:
            return Status.DEREGISTERED
        if self.suspended:
            return Status.SUSPENDED
        return Status.REGISTERED if self.registration_number else Status.PENDING


def evolve(state: Machine | None, event: DomainEvent) -> Machine | None:
    if isinstance(event, MachineRegistered):
        return Machine(
            event.machine_id,
            event.enterprise_id,
            event.kind,
            event.brand,
            event.model,
            event.serial_number,
            event.jurisdiction_code,
            fuel_tank_litres=event.fuel_tank_litres,
        )
    return None if state is None else _evolve(event, state)


def fold(events: Iterable[DomainEvent]) -> Machine | None:
    state: Machine | None = None
    for event in events:
        state = evolve(state, event)
    return state


@singledispatch
def _evolve(event: DomainEvent, state: Machine) -> Machine:
    return state  # an event the machine does not know changes nothing


@_evolve.register
def _bound(event: TerminalBound, state: Machine) -> Machine:
    return replace(state, terminal_id=event.terminal_id)


@_evolve.register
def _unbound(event: TerminalUnbound, state: Machine) -> Machine:
    return replace(state, terminal_id=None)


@_evolve.register
def _numbered(event: RegistrationNumberIssued, state: Machine) -> Machine:
    due = event.next_review_due
    return replace(state, registration_number=event.registration_number, next_review_due=due)


@_evolve.register
def _reviewed(event: AnnualReviewPassed, state: Machine) -> Machine:
    return replace(state, next_review_due=event.next_review_due)


@_evolve.register
def _review_overdue(event: AnnualReviewOverdue, state: Machine) -> Machine:
    return replace(state, review_flagged_for=event.due_on)


@_evolve.register
def _changed(event: MachineDetailsChanged, state: Machine) -> Machine:
    return replace(
        state,
        model=event.model or state.model,
        jurisdiction_code=event.jurisdiction_code or state.jurisdiction_code,
    )


@_evolve.register
def _tank_amended(event: FuelTankAmended, state: Machine) -> Machine:
    return replace(state, fuel_tank_litres=event.fuel_tank_litres)


@_evolve.register
def _transferred(event: MachineTransferred, state: Machine) -> Machine:
    return replace(state, enterprise_id=event.enterprise_id, consents=frozenset())


@_evolve.register
def _deregistered(event: MachineDeregistered, state: Machine) -> Machine:
    return replace(state, deregistered=True, terminal_id=None)


@_evolve.register
def _suspended(event: MachineSuspended, state: Machine) -> Machine:
    return replace(state, suspended=True)


@_evolve.register
def _reinstated(event: MachineReinstated, state: Machine) -> Machine:
    return replace(state, suspended=False)


@_evolve.register
def _pledged(event: MortgageRegistered, state: Machine) -> Machine:
    return replace(state, mortgages=(*state.mortgages, (event.mortgage_id, event.lender)))


@_evolve.register
def _released(event: MortgageReleased, state: Machine) -> Machine:
    kept = tuple(m for m in state.mortgages if m[0] != event.mortgage_id)
    consents = frozenset(c for c in state.consents if c[0] != event.mortgage_id)
    return dataclasses.replace(state, mortgages=kept, consents=consents)


@_evolve.register
def _consented(event: LenderConsentRecorded, state: Machine) -> Machine:
    consent = (event.mortgage_id, event.to_enterprise_id)
    return replace(state, consents=state.consents | {consent})
