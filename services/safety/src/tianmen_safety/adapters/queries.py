"""Read side: the ledger view of one enterprise in one cycle, straight from the projections."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from tianmen_safety.adapters.orm import deductions, ledgers, violations
from tianmen_safety.domain.rules import PointsRules


def latest_cycle_year(conn: Connection, enterprise_id: str) -> int | None:
    query = select(func.max(ledgers.c.cycle_year)).where(ledgers.c.enterprise_id == enterprise_id)
    year = conn.execute(query).scalar_one()
    return None if year is None else int(year)


def ledger_view(
    conn: Connection, enterprise_id: str, year: int, rules: PointsRules
) -> dict[str, Any]:
    """The cycle's balance and flags with its violations and deductions in recorded order.

    A cycle without violations shows the full initial balance under the current rules.
    """
    row = conn.execute(
        select(ledgers).where(
            ledgers.c.enterprise_id == enterprise_id, ledgers.c.cycle_year == year
        )
    ).first()
    head: dict[str, Any] = (
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
    return {
        **head,
        "violations": _violations(conn, enterprise_id, year),
        "deductions": _deductions(conn, enterprise_id, year),
    }


def _violations(conn: Connection, enterprise_id: str, year: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(violations)
        .where(violations.c.enterprise_id == enterprise_id, violations.c.cycle_year == year)
        .order_by(violations.c.sequence)
    )
    return [dict(r._mapping) for r in rows]


def _deductions(conn: Connection, enterprise_id: str, year: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(deductions)
        .where(deductions.c.enterprise_id == enterprise_id, deductions.c.cycle_year == year)
        .order_by(deductions.c.sequence)
    )
    return [dict(r._mapping) for r in rows]
