"""Read side of the desk: cases by state, tier, jurisdiction, enterprise and age, paged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select
from tianmen_runtime.pages import Key, after, page_of

from tianmen_safety.adapters.case_rows import utc
from tianmen_safety.adapters.orm import cases, restorations

Row = dict[str, Any]


@dataclass(frozen=True)
class CaseFilter:
    states: tuple[str, ...] = ()
    tier: str | None = None
    jurisdictions: tuple[str, ...] = ()
    enterprise_id: str | None = None
    opened_before: datetime | None = None
    """Cases at least this old: opened (event time) before this moment."""


def case_view(conn: Connection, case_id: str) -> Row | None:
    row = conn.execute(select(cases).where(cases.c.case_id == case_id)).first()
    return None if row is None else dict(row._mapping)


def case_page(
    conn: Connection, where: CaseFilter, cursor: Key | None, limit: int
) -> tuple[list[Row], str | None]:
    """Cases oldest first, after `cursor` (opened_at, case_id)."""
    order = (cases.c.opened_at, cases.c.case_id)
    query = select(cases).where(after(order, cursor)).order_by(*order).limit(limit + 1)
    if where.states:
        query = query.where(cases.c.state.in_(where.states))
    if where.tier:
        query = query.where(cases.c.tier == where.tier)
    if where.jurisdictions:
        query = query.where(cases.c.jurisdiction.in_(where.jurisdictions))
    if where.enterprise_id:
        query = query.where(cases.c.enterprise_id == where.enterprise_id)
    if where.opened_before:
        query = query.where(cases.c.opened_at < utc(where.opened_before))
    rows = [dict(r._mapping) for r in conn.execute(query)]
    return page_of(rows, limit, lambda row: (row["opened_at"], row["case_id"]))


def restoration_page(
    conn: Connection, enterprise_id: str, year: int, cursor: Key | None, limit: int
) -> tuple[list[Row], str | None]:
    """Points given back by upheld appeals, in recorded order, after (sequence, event_id)."""
    order = (restorations.c.sequence, restorations.c.event_id)
    query = (
        select(restorations)
        .where(restorations.c.enterprise_id == enterprise_id, restorations.c.cycle_year == year)
        .where(after(order, cursor))
        .order_by(*order)
        .limit(limit + 1)
    )
    rows = [dict(r._mapping) for r in conn.execute(query)]
    return page_of(rows, limit, lambda row: (row["sequence"], row["event_id"]))
