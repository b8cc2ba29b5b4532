"""The tips index: which tips of a category were submitted in a time window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, select
from tianmen_runtime.pages import Key, after, page_of

from tianmen_reports.adapters.orm import tip_index
from tianmen_reports.domain.tip import Tip


def record(conn: Connection, tip: Tip) -> None:
    conn.execute(delete(tip_index).where(tip_index.c.tip_id == tip.tip_id))
    conn.execute(
        insert(tip_index).values(
            tip_id=tip.tip_id,
            category=tip.category.value,
            submitted_at=_utc(tip.submitted_at),
            status=tip.status.value,
            reporter=tip.reporter,
        )
    )


def around(conn: Connection, tip: Tip, window: timedelta) -> list[str]:
    """Tips of the same category submitted within `window` of this one."""
    query = select(tip_index.c.tip_id).where(
        tip_index.c.category == tip.category.value,
        tip_index.c.submitted_at >= _utc(tip.submitted_at - window),
        tip_index.c.submitted_at <= _utc(tip.submitted_at + window),
        tip_index.c.tip_id != tip.tip_id,
    )
    return list(conn.execute(query).scalars())


def latest_of(conn: Connection, reporter: str, limit: int) -> list[str]:
    """A reporter's latest tips, newest first (ties by id, so the order is stable)."""
    newest = (tip_index.c.submitted_at.desc(), tip_index.c.tip_id)
    query = select(tip_index.c.tip_id).where(tip_index.c.reporter == reporter).order_by(*newest)
    return list(conn.execute(query.limit(limit)).scalars())


def _utc(moment: datetime) -> str:
    """Sortable as text: every moment in UTC with the same width."""
    return moment.astimezone(UTC).isoformat()


def tips_by(conn: Connection, reporter: str, since: datetime) -> int:
    query = select(func.count()).where(
        tip_index.c.reporter == reporter, tip_index.c.submitted_at >= _utc(since)
    )
    return int(conn.execute(query).scalar_one())


def page(
    conn: Connection, statuses: tuple[str, ...], key: Key | None, limit: int
) -> tuple[list[str], str | None]:
    """Tip ids in the given states, oldest submitted first, a keyset page of them."""
    order = (tip_index.c.submitted_at, tip_index.c.tip_id)
    query = (
        select(*order)
        .where(tip_index.c.status.in_(statuses), after(order, key))
        .order_by(*order)
        .limit(limit + 1)
    )
    rows = [(str(at), str(tip_id)) for at, tip_id in conn.execute(query)]
    found, cursor = page_of(rows, limit, lambda row: row)
    return [tip_id for _, tip_id in found], cursor
