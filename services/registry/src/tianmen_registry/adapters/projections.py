"""Apply the registry's own events to its query tables, inside the appending transaction.

The table is an `EventHandlers`, the same kind a `Subscription` runs, so it could rebuild the
projections from the registry's topics.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, update
from tianmen_events import EventMeta
from tianmen_events.registry import (
    EnterpriseContactsChanged,
    EnterpriseDetailsChanged,
    EnterpriseRegistered,
    MachineRegistered,
    TerminalBound,
)
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_registry.adapters import counter_projections, lifecycle_projections, site_projections
from tianmen_registry.adapters.orm import (
    enterprise_contacts,
    enterprises,
    machine_identities,
    machines,
    terminals,
)
from tianmen_registry.domain.identity import identity_keys_of


def enterprise_registered(event: EnterpriseRegistered, _: EventMeta, uow: UnitOfWork) -> None:
    uow.conn.execute(insert(enterprises).values(**event.model_dump(exclude={"actor"})))


def enterprise_details_changed(
    event: EnterpriseDetailsChanged, _: EventMeta, uow: UnitOfWork
) -> None:
    changed = event.model_dump(exclude={"enterprise_id", "actor"}, exclude_none=True)
    where = enterprises.c.enterprise_id == event.enterprise_id
    uow.conn.execute(update(enterprises).where(where).values(**changed))


def enterprise_contacts_changed(
    event: EnterpriseContactsChanged, _: EventMeta, uow: UnitOfWork
) -> None:
    where = enterprise_contacts.c.enterprise_id == event.enterprise_id
    uow.conn.execute(delete(enterprise_contacts).where(where))
    rows = [
        {"enterprise_id": event.enterprise_id, "position": position, **contact.model_dump()}
        for position, contact in enumerate(event.contacts)
    ]
    if rows:
        uow.conn.execute(insert(enterprise_contacts), rows)


def machine_registered(event: MachineRegistered, _: EventMeta, uow: UnitOfWork) -> None:
    machines_registered(uow, [event])


def machines_registered(uow: UnitOfWork, registered: Sequence[MachineRegistered]) -> None:
    """Machine rows and their identity keys, one statement each however many machines; a key
    held by another machine fails the insert."""
    uow.conn.execute(
        insert(machines),
        [{**e.model_dump(exclude={"actor"}), "terminal_id": None} for e in registered],
    )
    keys = [
        {"kind": kind, "key": key, "machine_id": e.machine_id}
        for e in registered
        for kind, key in identity_keys_of(
            e.brand_key, e.serial_number, e.engine_number, e.environmental_code
        ).items()
    ]
    uow.conn.execute(insert(machine_identities), keys)


def terminal_bound(event: TerminalBound, meta: EventMeta, uow: UnitOfWork) -> None:
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
    lifecycle_projections.terminal_bound(event, meta, uow)


def _merged(*tables: EventHandlers) -> EventHandlers:
    merged = EventHandlers()
    for table in tables:
        for event_type, handlers in table.items():
            for handler in handlers:
                merged = merged.on(event_type, handler)
    return merged


PROJECTIONS = _merged(
    EventHandlers()
    .on(EnterpriseRegistered, enterprise_registered)
    .on(EnterpriseDetailsChanged, enterprise_details_changed)
    .on(EnterpriseContactsChanged, enterprise_contacts_changed)
    .on(MachineRegistered, machine_registered)
    .on(TerminalBound, terminal_bound),
    lifecycle_projections.LIFECYCLE,
    counter_projections.COUNTER,
    site_projections.SITES,
)
