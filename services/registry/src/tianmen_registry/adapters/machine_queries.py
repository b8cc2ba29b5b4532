"""Machine queries: search, a machine's file with its history, public verification."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select
from tianmen_runtime.event_store import EventStore
from tianmen_runtime.pages import Key, after, page_of

from tianmen_registry.adapters.orm import machines
from tianmen_registry.adapters.orm_counter import mortgages, terminal_history

PUBLIC = ("registration_number", "kind", "brand", "model", "status", "next_review_due")


@dataclass(frozen=True)
class MachineFilter:
    jurisdictions: frozenset[str] | None = None  # the code asked and every tier below it
    kind: str | None = None
    status: str | None = None
    enterprise_id: str | None = None
    high_risk: bool | None = None
    pledged: bool | None = None


def search(
    conn: Connection, where: MachineFilter, cursor: Key | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """Machines matching every given filter, in machine-id order, after the cursor's id."""
    order = (machines.c.machine_id,)
    query = select(machines).where(after(order, cursor))
    if where.jurisdictions is not None:
        query = query.where(machines.c.jurisdiction_code.in_(where.jurisdictions))
    for column in ("kind", "status", "enterprise_id", "high_risk", "pledged"):
        value = getattr(where, column)
        if value is not None:
            query = query.where(machines.c[column] == value)
    rows = conn.execute(query.order_by(*order).limit(limit + 1)).mappings()
    return page_of([dict(row) for row in rows], limit, lambda row: (row["machine_id"],))


def pledges(
    conn: Connection, lender: str | None, cursor: Key | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """Mortgages (of one lender, or all) with the pledged machine's status, by mortgage id."""
    m = mortgages.c
    order = (m.mortgage_id,)
    query = (
        select(
            mortgages,
            machines.c.status.label("machine_status"),
            machines.c.registration_number,
        )
        .join(machines, machines.c.machine_id == m.machine_id)
        .where(after(order, cursor))
    )
    if lender is not None:
        query = query.where(m.lender == lender)
    rows = conn.execute(query.order_by(*order).limit(limit + 1)).mappings()
    return page_of([dict(row) for row in rows], limit, lambda row: (row["mortgage_id"],))


def machine_file(conn: Connection, source: str, machine_id: str) -> dict[str, Any] | None:
    """The machine, its full event history, its terminals over time and its mortgages."""
    found = (
        conn.execute(select(machines).where(machines.c.machine_id == machine_id)).mappings().first()
    )
    if found is None:
        return None
    history = [
        {
            "sequence": r.meta.sequence,
            "type": r.event.type,
            "time": r.meta.time,
            "event": r.event.model_dump(mode="json"),
        }
        for r in EventStore(conn, source).load(machine_id)
    ]
    terminals = select(terminal_history).where(terminal_history.c.machine_id == machine_id)
    pledges = select(mortgages).where(mortgages.c.machine_id == machine_id)
    return {
        "machine": dict(found),
        "history": history,
        "terminals": [
            dict(r)
            for r in conn.execute(terminals.order_by(terminal_history.c.sequence)).mappings()
        ],
        "mortgages": [dict(r) for r in conn.execute(pledges).mappings()],
    }


def verification(conn: Connection, registration_number: str) -> dict[str, Any] | None:
    """What the QR code on the plate shows anyone: status and the machine, nothing personal."""
    columns = [machines.c[name] for name in PUBLIC]
    query = select(*columns).where(
        machines.c.registration_number == registration_number.strip().upper()
    )
    found = conn.execute(query).mappings().first()
    return dict(found) if found else None
