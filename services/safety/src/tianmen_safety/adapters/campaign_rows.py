"""Campaigns and accidents as the docket topic says (`safety_campaigns`, `safety_accidents`),
and what their queries read: a campaign's report, accidents counted over a period."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, Index, Integer, String, Table, func, select, union
from tianmen_events import DomainEvent
from tianmen_events.safety.inspections import AccidentRecorded, CampaignLaunched
from tianmen_runtime.driver_sql import insert_rows
from tianmen_runtime.pages import Key, after, page_of

from tianmen_safety.adapters.case_rows import utc
from tianmen_safety.adapters.inspection_rows import inspected_machines, inspections
from tianmen_safety.adapters.order_rows import orders
from tianmen_safety.adapters.orm import listings, metadata
from tianmen_safety.domain.campaigns import FiledOrder

Row = dict[str, Any]

campaigns = Table(
    "safety_campaigns",
    metadata,
    Column("campaign_id", String(36), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("jurisdictions", String(2000), nullable=False),  # a JSON list
    Column("categories", String(500), nullable=False),  # a JSON list
    Column("starts_at", String(40), nullable=False),
    Column("ends_at", String(40), nullable=False),
    Column("checklist_version", String(64), nullable=False),
    Column("launched_by", String(64), nullable=False),
)

accidents = Table(
    "safety_accidents",
    metadata,
    Column("accident_id", String(36), primary_key=True),
    Column("enterprise_id", String(64), nullable=False),
    Column("machine_id", String(64), nullable=False),
    Column("jurisdiction", String(64)),
    Column("occurred_at", String(40), nullable=False),
    Column("severity", String(24), nullable=False),
    Column("deaths", Integer, nullable=False),
    Column("injuries", Integer, nullable=False),
    Column("description", String(1000), nullable=False),
    Column("recorded_by", String(64), nullable=False),
    Index("ix_safety_accidents_occurred", "occurred_at"),
)


def project(conn: Connection, event: DomainEvent) -> None:
    if isinstance(event, CampaignLaunched) and campaign(conn, event.campaign_id) is None:
        row = event.model_dump(mode="json", exclude={"docket_id", "actor"})
        row |= {"jurisdictions": json.dumps(row["jurisdictions"])}
        row |= {"categories": json.dumps(row["categories"]), "launched_by": event.actor}
        row |= {"starts_at": utc(event.starts_at), "ends_at": utc(event.ends_at)}
        insert_rows(conn, campaigns, [row])
    elif isinstance(event, AccidentRecorded) and accident(conn, event.accident_id) is None:
        row = event.model_dump(mode="json", exclude={"docket_id", "actor"})
        row |= {"occurred_at": utc(event.occurred_at), "recorded_by": event.actor}
        insert_rows(conn, accidents, [row])


def campaign(conn: Connection, campaign_id: str) -> Row | None:
    found = conn.execute(select(campaigns).where(campaigns.c.campaign_id == campaign_id)).first()
    if found is None:
        return None
    row = dict(found._mapping)
    return row | {k: json.loads(row[k]) for k in ("jurisdictions", "categories")}


def accident(conn: Connection, accident_id: str) -> Row | None:
    found = conn.execute(select(accidents).where(accidents.c.accident_id == accident_id)).first()
    return None if found is None else dict(found._mapping)


def campaign_findings(conn: Connection, campaign_id: str) -> tuple[set[str], list[FiledOrder]]:
    """The machines inspected under the campaign and the orders filed under it."""
    checked = select(inspected_machines.c.machine_id).where(
        inspected_machines.c.campaign_id == campaign_id
    )
    filed = select(orders).where(orders.c.campaign_id == campaign_id)
    return {r.machine_id for r in conn.execute(checked)}, [
        FiledOrder(r.machine_id, r.severity, r.kind, r.state == "closed", bool(r.overdue))
        for r in conn.execute(filed)
    ]


def listed_during(conn: Connection, campaign: Row) -> set[str]:
    """The enterprises the campaign reached (an inspection or a hazard filed under it) that
    were put on the key-supervision list within its period."""
    campaign_id = campaign["campaign_id"]
    reached = union(
        select(inspections.c.enterprise_id).where(inspections.c.campaign_id == campaign_id),
        select(orders.c.enterprise_id).where(orders.c.campaign_id == campaign_id),
    ).subquery()
    query = select(listings.c.enterprise_id).where(
        listings.c.list == "key_supervision",
        listings.c.listed_at >= campaign["starts_at"],
        listings.c.listed_at <= campaign["ends_at"],
        listings.c.enterprise_id.in_(select(reached.c.enterprise_id)),
    )
    return {row.enterprise_id for row in conn.execute(query)}


def page(
    conn: Connection, filters: Row, cursor: Key | None, limit: int
) -> tuple[list[Row], str | None]:
    """Campaigns by start, after `cursor` (starts_at, campaign_id)."""
    order = (campaigns.c.starts_at, campaigns.c.campaign_id)
    query = select(campaigns).where(after(order, cursor)).order_by(*order).limit(limit + 1)
    rows = [dict(r._mapping) for r in conn.execute(query)]
    for row in rows:
        row |= {k: json.loads(row[k]) for k in ("jurisdictions", "categories")}
    return page_of(rows, limit, lambda row: (row["starts_at"], row["campaign_id"]))


def accident_count(conn: Connection, start: datetime, end: datetime, filters: Row) -> int:
    query = select(func.count()).select_from(accidents)
    query = query.where(accidents.c.occurred_at >= utc(start), accidents.c.occurred_at < utc(end))
    for name, wanted in filters.items():
        query = query.where(accidents.c[name].in_(wanted))
    return int(conn.execute(query).scalar() or 0)


def accident_page(
    conn: Connection, filters: Row, cursor: Key | None, limit: int
) -> tuple[list[Row], str | None]:
    order = (accidents.c.occurred_at, accidents.c.accident_id)
    query = select(accidents).where(after(order, cursor)).order_by(*order).limit(limit + 1)
    for name, wanted in filters.items():
        query = query.where(accidents.c[name].in_(wanted))
    rows = [dict(r._mapping) for r in conn.execute(query)]
    return page_of(rows, limit, lambda row: (row["occurred_at"], row["accident_id"]))
