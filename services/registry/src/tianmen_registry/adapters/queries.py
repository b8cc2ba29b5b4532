"""Read the query tables: the views the HTTP API returns."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

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
