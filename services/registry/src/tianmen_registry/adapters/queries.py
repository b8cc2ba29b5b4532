"""Read the query tables: the views the HTTP API returns."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, or_, select
from tianmen_events.errors import DomainError
from tianmen_events.registry import Attachment
from tianmen_runtime.pages import Key, after, page_of

from tianmen_registry.adapters.orm import (
    enterprise_contacts,
    enterprises,
    machine_identities,
    machines,
    terminals,
)
from tianmen_registry.adapters.orm_counter import attachments


def enterprise(conn: Connection, enterprise_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(enterprises).where(enterprises.c.enterprise_id == enterprise_id))
    found = row.mappings().first()
    return dict(found) if found else None


def contacts(conn: Connection, enterprise_id: str) -> list[dict[str, Any]]:
    """The enterprise's people (personal data: staff only)."""
    query = (
        select(enterprise_contacts.c.role, enterprise_contacts.c.name, enterprise_contacts.c.phone)
        .where(enterprise_contacts.c.enterprise_id == enterprise_id)
        .order_by(enterprise_contacts.c.position)
    )
    return [dict(row) for row in conn.execute(query).mappings()]


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


def identities_taken(conn: Connection, keys: Mapping[str, str]) -> set[str]:
    """Which of the identity keys (`{kind: key}`) a machine already holds."""
    t = machine_identities.c
    match = or_(*(and_(t.kind == kind, t.key == key) for kind, key in keys.items()))
    return set(conn.execute(select(t.kind).where(match)).scalars())


def attachment(conn: Connection, attachment_id: str, type_: str) -> Attachment:
    """A stored attachment described for an application, or a refusal naming `attachments`."""
    t = attachments.c
    query = select(t.media_type, t.size, t.sha256).where(t.attachment_id == attachment_id)
    found = conn.execute(query).mappings().first()
    if found is None:
        raise DomainError(f"no uploaded attachment {attachment_id}", field="attachments")
    return Attachment(attachment_id=attachment_id, type=type_, **found)


def owners(conn: Connection, machine_ids: Collection[str]) -> dict[str, str]:
    """Machine id -> its enterprise, for those of `machine_ids` that are registered."""
    query = select(machines.c.machine_id, machines.c.enterprise_id)
    found = conn.execute(query.where(machines.c.machine_id.in_(machine_ids)))
    return {machine_id: enterprise_id for machine_id, enterprise_id in found.all()}


def identities_held(conn: Connection, keys: Collection[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which `(kind, key)` identity keys some machine holds."""
    t = machine_identities.c
    query = select(t.kind, t.key).where(t.key.in_({key for _, key in keys}))
    return {(kind, key) for kind, key in conn.execute(query).all()} & set(keys)


def reviews_due_before(conn: Connection, day: date) -> list[str]:
    """Registered (or suspended) machines whose next annual review falls before `day`."""
    query = select(machines.c.machine_id).where(
        machines.c.next_review_due < day, machines.c.status.in_(("registered", "suspended"))
    )
    return list(conn.execute(query).scalars())
