"""Equipment loans (工程机械贷): pledge, release, lender consent to a transfer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tianmen_events import DomainEvent, derive_id
from tianmen_events.errors import Conflict, DomainError, NotFound
from tianmen_events.registry import LenderConsentRecorded, MortgageRegistered, MortgageReleased

from tianmen_registry.domain.machine_state import Machine, Status
from tianmen_registry.domain.text import clean_text


@dataclass(frozen=True)
class RegisterMortgage:
    machine_id: str
    lender: str
    amount_yuan: int
    starts_on: date
    ends_on: date
    actor: str | None = None


@dataclass(frozen=True)
class ReleaseMortgage:
    machine_id: str
    mortgage_id: str
    actor: str | None = None


@dataclass(frozen=True)
class RecordLenderConsent:
    machine_id: str
    mortgage_id: str
    to_enterprise_id: str
    actor: str | None = None


def mortgage_id_for(machine_id: str, lender: str, starts_on: date) -> str:
    return derive_id("mortgage", machine_id, lender, starts_on.isoformat())


def decide_register(state: Machine | None, cmd: RegisterMortgage) -> list[DomainEvent]:
    machine = _live(state, cmd.machine_id)
    lender = clean_text(cmd.lender, "lender", max_length=200)
    if cmd.amount_yuan <= 0:
        raise DomainError("a loan amount is a positive number of yuan", field="amount_yuan")
    if cmd.ends_on <= cmd.starts_on:
        raise DomainError("a loan ends after it starts", field="ends_on")
    if machine.mortgages:
        raise Conflict("the machine is already pledged; release that first", field="machine_id")
    return [
        MortgageRegistered(
            machine_id=machine.machine_id,
            enterprise_id=machine.enterprise_id,
            mortgage_id=mortgage_id_for(machine.machine_id, lender, cmd.starts_on),
            lender=lender,
            amount_yuan=cmd.amount_yuan,
            starts_on=cmd.starts_on,
            ends_on=cmd.ends_on,
            actor=cmd.actor,
        )
    ]


def decide_release(state: Machine | None, cmd: ReleaseMortgage) -> list[DomainEvent]:
    machine = _active(state, cmd.machine_id, cmd.mortgage_id)
    return [
        MortgageReleased(
            machine_id=machine.machine_id,
            enterprise_id=machine.enterprise_id,
            mortgage_id=cmd.mortgage_id,
            actor=cmd.actor,
        )
    ]


def decide_consent(state: Machine | None, cmd: RecordLenderConsent) -> list[DomainEvent]:
    machine = _active(state, cmd.machine_id, cmd.mortgage_id)
    if (cmd.mortgage_id, cmd.to_enterprise_id) in machine.consents:
        return []
    return [
        LenderConsentRecorded(
            machine_id=machine.machine_id,
            enterprise_id=machine.enterprise_id,
            mortgage_id=cmd.mortgage_id,
            to_enterprise_id=cmd.to_enterprise_id,
            actor=cmd.actor,
        )
    ]


def refuse_unconsented_transfer(machine: Machine, to_enterprise_id: str) -> None:
    """A pledged machine moves only with every lender's recorded consent to this new owner."""
    for mortgage_id, lender in machine.mortgages:
        if (mortgage_id, to_enterprise_id) not in machine.consents:
            raise Conflict(
                f"the machine is pledged to {lender}; record the lender's consent first",
                field="machine_id",
            )


def _live(state: Machine | None, machine_id: str) -> Machine:
    if state is None:
        raise NotFound(f"no machine {machine_id} is registered", field="machine_id")
    if state.status is Status.DEREGISTERED:
        raise DomainError("the machine is deregistered", field="machine_id")
    return state


def _active(state: Machine | None, machine_id: str, mortgage_id: str) -> Machine:
    machine = _live(state, machine_id)
    if mortgage_id not in {m[0] for m in machine.mortgages}:
        raise NotFound(f"no active mortgage {mortgage_id} on this machine", field="mortgage_id")
    return machine
