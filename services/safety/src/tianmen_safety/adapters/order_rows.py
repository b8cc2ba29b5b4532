"""Hazards and their orders, `safety_orders`, as the docket topic says (like the case rows:
changed only by docket events coming back, so replay rebuilds them), and their queries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Column, Connection, Index, String, Table, select, update
from tianmen_events import DomainEvent
from tianmen_events.safety.orders import HazardRecorded, OrderKind, ReinspectionRecorded
from tianmen_runtime.driver_sql import insert_rows
from tianmen_runtime.pages import Key, after, page_of

from tianmen_safety.adapters.case_rows import in_flight, utc
from tianmen_safety.adapters.orm import metadata
from tianmen_safety.domain import orders as domain
from tianmen_safety.domain.orders import Order, OrderState

Row = dict[str, Any]

orders = Table(
    "safety_orders",
    metadata,
    Column("order_id", String(36), primary_key=True),
    Column("hazard_id", String(36), nullable=False),
    Column("enterprise_id", String(64), nullable=False),
    Column("machine_id", String(64), nullable=False),
    Column("jurisdiction", String(64)),
    Column("severity", String(16), nullable=False),
    Column("major", Boolean, nullable=False),
    Column("description", String(500), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("found_at", String(40), nullable=False),  # UTC, so strings compare as times
    Column("due_at", String(40)),
    Column("closed_at", String(40)),
    Column("overdue", Boolean, nullable=False),
    Column("campaign_id", String(64)),
    Column("inspection_id", String(64)),
    Column("ordered_by", String(64), nullable=False),
    Column("closed_by", String(64)),
    Index("ix_safety_orders_state_due", "state", "due_at"),
    Index("ix_safety_orders_enterprise", "enterprise_id", "found_at"),
    Index("ix_safety_orders_campaign", "campaign_id"),
)


def order_of(row: Any) -> Order:
    due = None if row.due_at is None else datetime.fromisoformat(row.due_at)
    kind, state = OrderKind(row.kind), OrderState(row.state)
    return Order(row.order_id, row.enterprise_id, row.machine_id, kind, state, due)


def load(conn: Connection, order_id: str) -> Any:
    return conn.execute(select(orders).where(orders.c.order_id == order_id)).first()


def current(conn: Connection, row: Any) -> Order:
    """The order with its docket's in-flight events applied (what the next command sees)."""
    order = order_of(row)
    for event in in_flight(conn, f"docket:{row.enterprise_id}"):
        if getattr(event, "order_id", None) == order.order_id:
            order = domain.evolve(order, event)
    return order


def project(conn: Connection, event: DomainEvent) -> Order | None:
    """Apply a docket event to its order row; the order as it was before (None: new)."""
    if isinstance(event, HazardRecorded):
        if load(conn, event.order_id) is None:
            insert_rows(conn, orders, [_row(event)])
            return None
        return order_of(load(conn, event.order_id))
    row = load(conn, getattr(event, "order_id", ""))
    if row is None:
        return None
    before = order_of(row)
    after_ = domain.evolve(before, event)
    changes: Row = {"state": after_.state.value}
    if after_.state is OrderState.OVERDUE:
        changes["overdue"] = True
    if isinstance(event, ReinspectionRecorded) and after_ != before:
        changes |= {"closed_at": utc(event.at), "closed_by": event.actor}
    if after_ != before:
        conn.execute(update(orders).where(orders.c.order_id == before.order_id).values(changes))
    return before


def _row(event: HazardRecorded) -> Row:
    row = event.model_dump(mode="json", exclude={"docket_id", "actor"})
    row |= {"found_at": utc(event.found_at), "due_at": utc(event.due_at)}
    row |= {"state": OrderState.OPEN.value, "overdue": False, "ordered_by": event.actor}
    return row


def due(conn: Connection, now: datetime, limit: int) -> list[Any]:
    """Open rectification orders whose deadline has passed by `now`, oldest deadline first."""
    query = (
        select(orders)
        .where(orders.c.state == OrderState.OPEN.value)
        .where(orders.c.due_at.is_not(None), orders.c.due_at <= utc(now))
        .order_by(orders.c.due_at, orders.c.order_id)
        .limit(limit)
    )
    return list(conn.execute(query))


def order_view(conn: Connection, order_id: str) -> Row | None:
    row = load(conn, order_id)
    return None if row is None else dict(row._mapping)


def order_page(
    conn: Connection, filters: Row, cursor: Key | None, limit: int
) -> tuple[list[Row], str | None]:
    """Orders by when the hazard was found, after `cursor` (found_at, order_id); `filters`
    names columns and the values they must hold (a tuple: any of them)."""
    order = (orders.c.found_at, orders.c.order_id)
    query = select(orders).where(after(order, cursor)).order_by(*order).limit(limit + 1)
    for name, wanted in filters.items():
        column = orders.c[name]
        query = query.where(column.in_(wanted) if isinstance(wanted, tuple) else column == wanted)
    rows = [dict(r._mapping) for r in conn.execute(query)]
    return page_of(rows, limit, lambda row: (row["found_at"], row["order_id"]))
