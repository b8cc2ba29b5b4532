"""Machine lifecycle events applied to the query tables: status, number, owner, pledges."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import insert, update
from tianmen_events import EventMeta
from tianmen_events.registry import (
    AnnualReviewPassed,
    FuelTankAmended,
    MachineDeregistered,
    MachineDetailsChanged,
    MachineReinstated,
    MachineSuspended,
    MachineTransferred,
    MortgageRegistered,
    MortgageReleased,
    RegistrationNumberIssued,
    TerminalBound,
    TerminalUnbound,
)

# `terminal_bound` runs from `projections.terminal_bound`, after the binding rows are written.
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_registry.adapters.orm import machines, terminals
from tianmen_registry.adapters.orm_counter import mortgages, terminal_history


def _set(uow: UnitOfWork, machine_id: str, **values: Any) -> None:
    uow.conn.execute(update(machines).where(machines.c.machine_id == machine_id).values(**values))


def numbered(event: RegistrationNumberIssued, _: EventMeta, uow: UnitOfWork) -> None:
    number, due = event.registration_number, event.next_review_due
    _set(
        uow, event.machine_id, registration_number=number, next_review_due=due, status="registered"
    )


def reviewed(event: AnnualReviewPassed, _: EventMeta, uow: UnitOfWork) -> None:
    _set(uow, event.machine_id, next_review_due=event.next_review_due)


def changed(event: MachineDetailsChanged, _: EventMeta, uow: UnitOfWork) -> None:
    fields = {"model", "rated_power_kw", "jurisdiction_code"}
    _set(uow, event.machine_id, **event.model_dump(include=fields, exclude_none=True))


def tank_amended(event: FuelTankAmended, _: EventMeta, uow: UnitOfWork) -> None:
    _set(uow, event.machine_id, fuel_tank_litres=event.fuel_tank_litres)


def transferred(event: MachineTransferred, _: EventMeta, uow: UnitOfWork) -> None:
    _set(uow, event.machine_id, enterprise_id=event.enterprise_id)


def deregistered(event: MachineDeregistered, _: EventMeta, uow: UnitOfWork) -> None:
    _set(uow, event.machine_id, status="deregistered")


def suspended(event: MachineSuspended, _: EventMeta, uow: UnitOfWork) -> None:
    _set(uow, event.machine_id, status="suspended")


def reinstated(event: MachineReinstated, _: EventMeta, uow: UnitOfWork) -> None:
    number = machines.c.registration_number
    status = uow.conn.execute(machines.select().where(machines.c.machine_id == event.machine_id))
    row = status.mappings().one()
    _set(uow, event.machine_id, status="registered" if row[number.name] else "pending")


def pledged(event: MortgageRegistered, _: EventMeta, uow: UnitOfWork) -> None:
    row = event.model_dump(exclude={"actor"})
    uow.conn.execute(insert(mortgages).values(**row, released=False))
    _set(uow, event.machine_id, pledged=True)


def released(event: MortgageReleased, _: EventMeta, uow: UnitOfWork) -> None:
    where = mortgages.c.mortgage_id == event.mortgage_id
    uow.conn.execute(update(mortgages).where(where).values(released=True))
    _set(uow, event.machine_id, pledged=False)


def terminal_bound(event: TerminalBound, meta: EventMeta, uow: UnitOfWork) -> None:
    _history(uow, meta, event.machine_id, event.terminal_id, "bound")


def terminal_unbound(event: TerminalUnbound, meta: EventMeta, uow: UnitOfWork) -> None:
    uow.conn.execute(terminals.delete().where(terminals.c.machine_id == event.machine_id))
    _set(uow, event.machine_id, terminal_id=None)
    _history(uow, meta, event.machine_id, event.terminal_id, "unbound")


def _history(uow: UnitOfWork, meta: EventMeta, machine: str, terminal: str, action: str) -> None:
    at = meta.time.astimezone(UTC)
    row = {"machine_id": machine, "sequence": meta.sequence, "terminal_id": terminal}
    uow.conn.execute(insert(terminal_history).values(**row, action=action, at=at))


LIFECYCLE = (
    EventHandlers()
    .on(RegistrationNumberIssued, numbered)
    .on(AnnualReviewPassed, reviewed)
    .on(MachineDetailsChanged, changed)
    .on(FuelTankAmended, tank_amended)
    .on(MachineTransferred, transferred)
    .on(MachineDeregistered, deregistered)
    .on(MachineSuspended, suspended)
    .on(MachineReinstated, reinstated)
    .on(MortgageRegistered, pledged)
    .on(MortgageReleased, released)
    .on(TerminalUnbound, terminal_unbound)
)
