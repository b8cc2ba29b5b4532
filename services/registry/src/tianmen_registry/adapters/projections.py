"""Apply the registry's own events to its query tables, inside the appending transaction.

The handlers have the Projector's signature `(event, meta, uow)`, so the same table could
rebuild the projections from the registry's topics.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, insert, update
from tianmen_events import DomainEvent, EventMeta
from tianmen_events.registry import EnterpriseRegistered, MachineRegistered, TerminalBound
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_registry.adapters.orm import enterprises, machines, terminals

Handler = Callable[[Any, EventMeta, UnitOfWork], None]


def enterprise_registered(event: EnterpriseRegistered, _: EventMeta, uow: UnitOfWork) -> None:
    uow.conn.execute(insert(enterprises).values(**event.model_dump()))


def machine_registered(event: MachineRegistered, _: EventMeta, uow: UnitOfWork) -> None:
    uow.conn.execute(insert(machines).values(**event.model_dump(mode="json"), terminal_id=None))


def terminal_bound(event: TerminalBound, _: EventMeta, uow: UnitOfWork) -> None:
    """The machine's previous terminal is released; a terminal held elsewhere fails the insert."""
    uow.conn.execute(delete(terminals).where(terminals.c.machine_id == event.machine_id))
    uow.conn.execute(
        insert(terminals).values(terminal_id=event.terminal_id, machine_id=event.machine_id)
    )
    uow.conn.execute(
        update(machines)
        .where(machines.c.machine_id == event.machine_id)
        .values(terminal_id=event.terminal_id)
    )


PROJECTIONS: Mapping[type[DomainEvent], Sequence[Handler]] = {
    EnterpriseRegistered: [enterprise_registered],
    MachineRegistered: [machine_registered],
    TerminalBound: [terminal_bound],
}


def project(event: DomainEvent, meta: EventMeta, uow: UnitOfWork) -> None:
    for handler in PROJECTIONS.get(type(event), ()):
        handler(event, meta, uow)
