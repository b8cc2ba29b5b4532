"""Use cases on a registered machine: unbind its terminal, suspend / reinstate, mortgages, its
fuel tank amended."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tianmen_events import DomainEvent
from tianmen_events.errors import DomainError, NotFound
from tianmen_events.registry import MachineReinstated, MachineSuspended, TerminalUnbound
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_registry.adapters import queries
from tianmen_registry.domain import machines, mortgages, reviews
from tianmen_registry.domain.commands import AmendFuelTank
from tianmen_registry.domain.machine_attributes import decide_fuel_tank
from tianmen_registry.domain.machine_state import Machine, Status
from tianmen_registry.domain.workdays import CHINA
from tianmen_registry.service_layer.recording import events_of, record, version_of


@dataclass(frozen=True)
class UnbindTerminal:
    machine_id: str
    actor: str | None = None


@dataclass(frozen=True)
class SetSuspension:
    """A stop-use order (suspended=True) or its lifting: staff give it here, and safety's
    stop-use events arrive as the same decision (`service_layer/stop_use`)."""

    machine_id: str
    suspended: bool
    reason: str = ""
    order_id: str = ""
    actor: str | None = None


def _run(
    machine_id: str,
    decide: Callable[[Machine | None], list[DomainEvent]],
    uow: UnitOfWork,
    now: datetime,
) -> str:
    history = uow.events.load(machine_id)
    record(uow, machine_id, decide(machines.fold(events_of(history))), version_of(history), now)
    return machine_id


def unbind_terminal(cmd: UnbindTerminal, uow: UnitOfWork, now: datetime) -> str:
    def decide(state: Machine | None) -> list[DomainEvent]:
        machine = _known(state, cmd.machine_id)
        if machine.terminal_id is None:
            return []
        base = {"machine_id": machine.machine_id, "enterprise_id": machine.enterprise_id}
        unbind = TerminalUnbound(
            **base, terminal_id=machine.terminal_id, reason="unbound", actor=cmd.actor
        )
        return [unbind]

    return _run(cmd.machine_id, decide, uow, now)


def set_suspension(cmd: SetSuspension, uow: UnitOfWork, now: datetime) -> str:
    return _run(cmd.machine_id, lambda state: decide_suspension(state, cmd), uow, now)


def decide_suspension(state: Machine | None, cmd: SetSuspension) -> list[DomainEvent]:
    machine = _known(state, cmd.machine_id)
    if machine.status is Status.DEREGISTERED:
        raise DomainError("the machine is deregistered", field="machine_id")
    if machine.suspended == cmd.suspended:
        return []
    base: dict[str, Any] = {"machine_id": machine.machine_id, "order_id": cmd.order_id}
    base |= {"enterprise_id": machine.enterprise_id, "actor": cmd.actor}
    if not cmd.suspended:
        return [MachineReinstated(**base)]
    if not cmd.reason.strip():
        raise DomainError("a stop-use order gives its reason", field="reason")
    return [MachineSuspended(**base, reason=cmd.reason.strip())]


def amend_fuel_tank(cmd: AmendFuelTank, uow: UnitOfWork, now: datetime) -> str:
    return _run(cmd.machine_id, lambda state: decide_fuel_tank(state, cmd), uow, now)


def register_mortgage(cmd: mortgages.RegisterMortgage, uow: UnitOfWork, now: datetime) -> str:
    _run(cmd.machine_id, lambda state: mortgages.decide_register(state, cmd), uow, now)
    return mortgages.mortgage_id_for(cmd.machine_id, cmd.lender.strip(), cmd.starts_on)


def release_mortgage(cmd: mortgages.ReleaseMortgage, uow: UnitOfWork, now: datetime) -> str:
    return _run(cmd.machine_id, lambda state: mortgages.decide_release(state, cmd), uow, now)


def record_consent(cmd: mortgages.RecordLenderConsent, uow: UnitOfWork, now: datetime) -> str:
    return _run(cmd.machine_id, lambda state: mortgages.decide_consent(state, cmd), uow, now)


def flag_reviews_overdue(as_of: datetime, uow: UnitOfWork, now: datetime) -> int:
    """Every registered machine whose review was due before `as_of`'s day (China time) gets
    its overdue event; the sweep's time is the events' time."""
    today = as_of.astimezone(CHINA).date()
    flagged = 0
    for machine_id in queries.reviews_due_before(uow.conn, today):
        history = uow.events.load(machine_id)
        new = reviews.decide_review_overdue(machines.fold(events_of(history)), today=today)
        record(uow, machine_id, new, version_of(history), as_of)
        flagged += len(new)
    return flagged


def _known(state: Machine | None, machine_id: str) -> Machine:
    if state is None:
        raise NotFound(f"no machine {machine_id} is registered", field="machine_id")
    return state
