"""Read side: an enterprise's ledger in one cycle, and its violations and deductions, paged."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, func, select
from tianmen_runtime.pages import Key, after, page_of

from tianmen_safety.adapters.orm import deductions, ledgers, violations
from tianmen_safety.domain.rules import PointsRules

Row = dict[str, Any]


def latest_cycle_year(conn: Connection, enterprise_id: str) -> int | None:
    query = select(func.max(ledgers.c.cycle_year)).where(ledgers.c.enterprise_id == enterprise_id)
    year = conn.execute(query).scalar_one()
    return None if year is None else int(year)


def ledger_view(conn: Connection, enterprise_id: str, year: int, rules: PointsRules) -> Row:
    """The cycle's balance, flags and counts; without violations, the full initial balance."""
    row = conn.execute(
        select(ledgers).where(
            ledgers.c.enterprise_id == enterprise_id, ledgers.c.cycle_year == year
        )
    ).first()
    head: Row = (
        dict(row._mapping)
        if row
        else {
            "enterprise_id": enterprise_id,
            "cycle_year": year,
            "initial_points": rules.initial_points,
            "balance": rules.initial_points,
            "bidding_suspended": False,
            "key_supervision": False,
            "rule_version": rules.version,
        }
    )
    head.pop("updated_at", None)
    head["warning_level"] = rules.warning_level(int(head["balance"]))
    counts = {
        "violation_count": _count(conn, violations, enterprise_id, year),
        "deduction_count": _count(conn, deductions, enterprise_id, year),
    }
    return {**head, **counts}


def violation_page(
    conn: Connection, enterprise_id: str, year: int, cursor: Key | None, limit: int
) -> tuple[list[Row], str | None]:
    """Violations in recorded order, after `cursor` (sequence, violation_id)."""
    return _page(conn, violations, "violation_id", (enterprise_id, year, cursor, limit))


def deduction_page(
    conn: Connection, enterprise_id: str, year: int, cursor: Key | None, limit: int
) -> tuple[list[Row], str | None]:
    """Deductions in recorded order, after `cursor` (sequence, event_id)."""
    return _page(conn, deductions, "event_id", (enterprise_id, year, cursor, limit))


def _page(
    conn: Connection, table: Table, id_column: str, where: tuple[str, int, Key | None, int]
) -> tuple[list[Row], str | None]:
    enterprise_id, year, cursor, limit = where
    order = (table.c.sequence, table.c[id_column])
    query = (
        select(table)
        .where(table.c.enterprise_id == enterprise_id, table.c.cycle_year == year)
        .where(after(order, cursor))
        .order_by(*order)
        .limit(limit + 1)
    )
    rows = [dict(r._mapping) for r in conn.execute(query)]
    return page_of(rows, limit, lambda row: (row["sequence"], row[id_column]))


def _count(conn: Connection, table: Table, enterprise_id: str, year: int) -> int:
    query = select(func.count()).where(
        table.c.enterprise_id == enterprise_id, table.c.cycle_year == year
    )
    return int(conn.execute(query).scalar_one())
