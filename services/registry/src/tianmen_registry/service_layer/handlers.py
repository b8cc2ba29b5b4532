"""Command handlers `(cmd, uow, now) -> aggregate id`: load, decide, record.

Each runs through `tianmen_runtime.commands.run_command`, which gives it a unit of work and
decides again when a concurrent writer won the race.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from tianmen_events import DomainEvent
from tianmen_runtime.event_store import Recorded
from tianmen_runtime.logs import correlation_id
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_registry.adapters import queries
from tianmen_registry.adapters.projections import PROJECTIONS
from tianmen_registry.domain import enterprises, machines
from tianmen_registry.domain.commands import BindTerminal, RegisterEnterprise, RegisterMachine


def register_enterprise(cmd: RegisterEnterprise, uow: UnitOfWork, now: datetime) -> str:
    enterprise_id = enterprises.enterprise_id_for(cmd.uscc)
    history = uow.events.load(enterprise_id)
    new = enterprises.decide_register(enterprises.fold(_events(history)), cmd)
    _record(uow, enterprise_id, new, _version(history), now)
    return enterprise_id


def register_machine(cmd: RegisterMachine, uow: UnitOfWork, now: datetime) -> str:
    enterprise = enterprises.fold(_events(uow.events.load(cmd.enterprise_id)))
    machine_id = machines.machine_id_for(cmd.brand, cmd.serial_number)
    history = uow.events.load(machine_id)
    new = machines.decide_register(enterprise, machines.fold(_events(history)), cmd)
    _record(uow, machine_id, new, _version(history), now)
    return machine_id


def bind_terminal(cmd: BindTerminal, uow: UnitOfWork, now: datetime) -> str:
    history = uow.events.load(cmd.machine_id)
    holder = queries.terminal_holder(uow.conn, cmd.terminal_id)
    new = machines.decide_bind(machines.fold(_events(history)), holder, cmd)
    _record(uow, cmd.machine_id, new, _version(history), now)
    return cmd.machine_id


def _events(history: Sequence[Recorded]) -> list[DomainEvent]:
    return [recorded.event for recorded in history]


def _version(history: Sequence[Recorded]) -> int:
    return history[-1].meta.sequence if history else 0


def _record(
    uow: UnitOfWork, aggregate_id: str, new: Sequence[DomainEvent], expected: int, now: datetime
) -> None:
    """Append the events (and their outbox rows) and update the projections, one transaction."""
    recorded = uow.events.append(
        aggregate_id,
        new,
        expected_version=expected,
        time=now,
        correlation_id=correlation_id.get() or str(uuid.uuid4()),
    )
    for item in recorded:
        PROJECTIONS.handle(item.event, item.meta, uow)
