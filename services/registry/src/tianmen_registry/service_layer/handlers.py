"""Command handlers `(cmd, uow, now) -> aggregate id`: load, decide, record.

Each runs through `tianmen_runtime.commands.run_command`, which gives it a unit of work and
decides again when a concurrent writer won the race. Reference data (jurisdictions, divisions)
comes from `adapters.reference`, loaded at start.
"""

from __future__ import annotations

from datetime import datetime

from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_registry.adapters import queries, reference
from tianmen_registry.domain import enterprises, identity, machines
from tianmen_registry.domain.commands import BindTerminal, RegisterEnterprise, RegisterMachine
from tianmen_registry.service_layer.recording import events_of, record, version_of


def register_enterprise(cmd: RegisterEnterprise, uow: UnitOfWork, now: datetime) -> str:
    enterprise_id = enterprises.enterprise_id_for(cmd.uscc)
    history = uow.events.load(enterprise_id)
    ref = reference.current()
    state = enterprises.fold(events_of(history))
    new = enterprises.decide_register(state, cmd, ref.jurisdictions, ref.divisions)
    record(uow, enterprise_id, new, version_of(history), now)
    return enterprise_id


def register_machine(cmd: RegisterMachine, uow: UnitOfWork, now: datetime) -> str:
    enterprise = enterprises.fold(events_of(uow.events.load(cmd.enterprise_id)))
    machine_id = machines.machine_id_for(cmd.brand, cmd.serial_number)
    history = uow.events.load(machine_id)
    taken = queries.identities_taken(uow.conn, identity.identity_keys(cmd))
    state = machines.fold(events_of(history))
    jurisdictions = reference.current().jurisdictions
    new = machines.decide_register(enterprise, state, cmd, taken=taken, jurisdictions=jurisdictions)
    record(uow, machine_id, new, version_of(history), now)
    return machine_id


def bind_terminal(cmd: BindTerminal, uow: UnitOfWork, now: datetime) -> str:
    history = uow.events.load(cmd.machine_id)
    holder = queries.terminal_holder(uow.conn, cmd.terminal_id)
    new = machines.decide_bind(machines.fold(events_of(history)), holder, cmd)
    record(uow, cmd.machine_id, new, version_of(history), now)
    return cmd.machine_id
