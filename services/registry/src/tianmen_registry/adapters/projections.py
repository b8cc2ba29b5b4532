"""Apply the registry's own events to its query tables, inside the appending transaction.

The table is an `EventHandlers`, the same kind a `Subscription` runs, so it could rebuild the
projections from the registry's topics.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, update
from tianmen_events import EventMeta
from tianmen_events.registry import EnterpriseRegistered, MachineRegistered, TerminalBound
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_registry.adapters.orm import enterprises, machines, terminals


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


PROJECTIONS = (
    EventHandlers()
    .on(EnterpriseRegistered, enterprise_registered)
    .on(MachineRegistered, machine_registered)
    .on(TerminalBound, terminal_bound)
)
