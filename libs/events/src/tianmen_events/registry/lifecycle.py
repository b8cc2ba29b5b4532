"""A machine's life after registration: number issued, reviews, transfer, mortgages, stop-use,
terminals unbound, deregistration. All on `registry.machine`, keyed by machine id."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from tianmen_events.base import DomainEvent
from tianmen_events.catalog import event
from tianmen_events.topics import REGISTRY_MACHINE


class _MachineEvent(DomainEvent):
    topic = REGISTRY_MACHINE.name
    subject = "machine_id"

    machine_id: str
    enterprise_id: str
    actor: str | None = None


@event
class RegistrationNumberIssued(_MachineEvent):
    type = "tianmen.registry.registration_number_issued"

    registration_number: str
    application_id: str
    next_review_due: date


@event
class AnnualReviewPassed(_MachineEvent):
    type = "tianmen.registry.annual_review_passed"

    application_id: str
    next_review_due: date


@event
class MachineDetailsChanged(_MachineEvent):
    """Approved change; a field left `None` is unchanged."""

    type = "tianmen.registry.machine_details_changed"

    application_id: str
    model: str | None = None
    rated_power_kw: float | None = None
    jurisdiction_code: str | None = None


@event
class FuelTankAmended(_MachineEvent):
    """The machine's fuel tank capacity amended (a tank replaced, a figure corrected): from the
    event's time on, a JT/T 808 terminal's litres are levelled with it (decision 116)."""

    type = "tianmen.registry.fuel_tank_amended"

    fuel_tank_litres: float = Field(gt=0, le=15_000, description="The capacity in litres")
    previous_litres: float | None = Field(
        default=None, description="The capacity it replaces; none: the machine had none"
    )


@event
class MachineTransferred(_MachineEvent):
    """`enterprise_id` is the new owner from this event on."""

    type = "tianmen.registry.machine_transferred"

    from_enterprise_id: str
    application_id: str


@event
class MachineDeregistered(_MachineEvent):
    type = "tianmen.registry.machine_deregistered"

    application_id: str


@event
class MachineSuspended(_MachineEvent):
    """A stop-use order: the machine may not work until reinstated."""

    type = "tianmen.registry.machine_suspended"

    reason: str
    order_id: str = ""


@event
class MachineReinstated(_MachineEvent):
    type = "tianmen.registry.machine_reinstated"

    order_id: str = ""


UnbindReason = Literal["unbound", "deregistered"]


@event
class TerminalUnbound(_MachineEvent):
    """The terminal left the machine. `reason`: `unbound`, an explicit unbind (the terminal is
    on no machine from this event's time); `deregistered`, the unbind an approved deregistration
    makes, followed at the same event time by the machine's `MachineDeregistered`. `None`: an
    event recorded before the registry said which (additive; a reader infers it from the
    deregistration at the same instant)."""

    type = "tianmen.registry.terminal_unbound"

    terminal_id: str
    reason: UnbindReason | None = None


@event
class MortgageRegistered(_MachineEvent):
    """An equipment loan (工程机械贷) pledging the machine."""

    type = "tianmen.registry.mortgage_registered"

    mortgage_id: str
    lender: str
    amount_yuan: int = Field(description="Loan amount in yuan")
    starts_on: date
    ends_on: date


@event
class MortgageReleased(_MachineEvent):
    type = "tianmen.registry.mortgage_released"

    mortgage_id: str


@event
class LenderConsentRecorded(_MachineEvent):
    """The lender agrees the pledged machine may be transferred to `to_enterprise_id`."""

    type = "tianmen.registry.lender_consent_recorded"

    mortgage_id: str
    to_enterprise_id: str


@event
class AnnualReviewOverdue(_MachineEvent):
    """The machine's annual review was due before the sweep's day and has not passed."""

    type = "tianmen.registry.annual_review_overdue"

    due_on: date
