"""Read the query tables: the views the HTTP API returns."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select
from tianmen_runtime.pages import Key, after, page_of

from tianmen_registry.adapters.orm import enterprises, machines, terminals


def enterprise(conn: Connection, enterprise_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(enterprises).where(enterprises.c.enterprise_id == enterprise_id))
    found = row.mappings().first()
    return dict(found) if found else None


def machine(conn: Connection, machine_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(machines).where(machines.c.machine_id == machine_id))
    found = row.mappings().first()
    return dict(found) if found else None


def terminal_holder(conn: Connection, terminal_id: str) -> str | None:
    """The machine the terminal is bound to now, if any."""
    query = select(terminals.c.machine_id).where(terminals.c.terminal_id == terminal_id)
    return conn.execute(query).scalar_one_or_none()


Page = tuple[list[dict[str, Any]], str | None]


def enterprise_page(conn: Connection, cursor: Key | None, limit: int) -> Page:
    """Enterprises by id, after `cursor` (enterprise_id)."""
    order = (enterprises.c.enterprise_id,)
    query = select(enterprises).where(after(order, cursor)).order_by(*order).limit(limit + 1)
    rows = [dict(r) for r in conn.execute(query).mappings()]
    return page_of(rows, limit, lambda row: (row["enterprise_id"],))


def machine_page(
    conn: Connection, enterprise_id: str | None, cursor: Key | None, limit: int
) -> Page:
    """Machines by id, of one enterprise or all, after `cursor` (machine_id)."""
    order = (machines.c.machine_id,)
    query = select(machines).where(after(order, cursor)).order_by(*order).limit(limit + 1)
    if enterprise_id is not None:
        query = query.where(machines.c.enterprise_id == enterprise_id)
    rows = [dict(r) for r in conn.execute(query).mappings()]
    return page_of(rows, limit, lambda row: (row["machine_id"],))
