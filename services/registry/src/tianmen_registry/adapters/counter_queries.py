"""Counter queries: an application with its timeline, handling time, mortgage totals."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Integer, String, cast, func, select
from tianmen_runtime.event_store import EventStore

from tianmen_registry.adapters.orm import enterprises, machines
from tianmen_registry.adapters.orm_counter import applications, mortgages


def application(conn: Connection, source: str, application_id: str) -> dict[str, Any] | None:
    query = select(applications).where(applications.c.application_id == application_id)
    found = conn.execute(query).mappings().first()
    if found is None:
        return None
    timeline = [
        {
            "stage": r.event.type.rsplit(".", 1)[-1].removeprefix("application_"),
            "time": r.meta.time,
            "actor": getattr(r.event, "actor", None),
            "reason": getattr(r.event, "reason", None),
        }
        for r in EventStore(conn, source).load(application_id)
    ]
    return {**dict(found), "timeline": timeline}


def open_overdue(conn: Connection) -> int:
    """Accepted applications flagged overdue and not yet decided."""
    t = applications.c
    query = select(func.count()).where(t.stage == "accepted", t.overdue.is_(True))
    return int(conn.execute(query).scalar_one())


def handling_times(conn: Connection, period_length: int = 7) -> list[dict[str, Any]]:
    """Average handling time of decided applications per kind and period (YYYY-MM by default;
    `period_length` 4 gives years), with how many were decided and how many ran overdue."""
    t = applications.c
    period = func.substr(cast(t.decided_at, String), 1, period_length)
    query = (
        select(
            t.kind,
            period.label("period"),
            func.count().label("decided"),
            func.avg(t.handling_working_days).label("average_working_days"),
            func.avg(t.handling_hours).label("average_hours"),
            func.sum(cast(t.overdue, Integer)).label("overdue"),
        )
        .where(t.stage.in_(("approved", "rejected")))
        .group_by(t.kind, period)
        .order_by(period, t.kind)
    )
    return [dict(row) for row in conn.execute(query).mappings()]


def mortgage_totals(conn: Connection) -> list[dict[str, Any]]:
    """Loans per lender and year they start: how many, how much, how many still active."""
    t = mortgages.c
    year = func.substr(cast(t.starts_on, String), 1, 4)
    query = (
        select(
            t.lender,
            year.label("year"),
            func.count().label("loans"),
            func.sum(t.amount_yuan).label("amount_yuan"),
            func.sum(cast(~t.released, Integer)).label("active"),
        )
        .group_by(t.lender, year)
        .order_by(t.lender, year)
    )
    return [dict(row) for row in conn.execute(query).mappings()]


def enterprise_file(conn: Connection, enterprise_id: str) -> dict[str, Any] | None:
    found = (
        conn.execute(select(enterprises).where(enterprises.c.enterprise_id == enterprise_id))
        .mappings()
        .first()
    )
    if found is None:
        return None
    by_status = (
        select(machines.c.status, func.count())
        .where(machines.c.enterprise_id == enterprise_id)
        .group_by(machines.c.status)
    )
    recent = (
        select(
            applications.c.application_id,
            applications.c.kind,
            applications.c.stage,
            applications.c.submitted_at,
        )
        .where(applications.c.enterprise_id == enterprise_id)
        .order_by(applications.c.submitted_at.desc())
        .limit(20)
    )
    return {
        "enterprise": dict(found),
        "machines_by_status": {status: n for status, n in conn.execute(by_status).all()},
        "recent_applications": [dict(r) for r in conn.execute(recent).mappings()],
    }
