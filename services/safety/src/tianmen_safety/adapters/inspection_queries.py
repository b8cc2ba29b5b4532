"""What the desk asks of the inspection rows: the tests that ran out by a time, the enterprises
short of self-inspections at a deadline, and the paged list."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select
from tianmen_events.safety.inspections import ThirdPartyTestRecorded
from tianmen_runtime.pages import Key, after, page_of

from tianmen_safety.adapters.case_rows import utc
from tianmen_safety.adapters.inspection_rows import inspections, misses, watched

Row = dict[str, Any]


def test_of(row: Any) -> ThirdPartyTestRecorded:
    return ThirdPartyTestRecorded(
        docket_id=f"docket:{row.enterprise_id}",
        enterprise_id=row.enterprise_id,
        test_id=row.inspection_id,
        machine_id=row.machine_id,
        agency=row.agency,
        passed=bool(row.passed),
        certificate_number=row.certificate_number,
        tested_at=datetime.fromisoformat(row.inspected_at),
        valid_until=datetime.fromisoformat(row.valid_until),
        actor=row.recorded_by,
    )


def lapsing(conn: Connection, now: datetime, limit: int) -> list[Any]:
    """Valid tests whose validity ran out by `now`, earliest first."""
    query = (
        select(inspections)
        .where(inspections.c.state == "valid", inspections.c.valid_until <= utc(now))
        .order_by(inspections.c.valid_until, inspections.c.inspection_id)
        .limit(limit)
    )
    return list(conn.execute(query))


def short_of(
    conn: Connection, year_start: datetime, deadline: datetime, required: int, limit: int
) -> list[tuple[str, int]]:
    """Watched enterprises (seen before `deadline`) with fewer than `required` self-inspections
    in [year_start, deadline) and no miss recorded for it: (enterprise_id, how many done)."""
    done = (
        select(func.count())
        .where(inspections.c.enterprise_id == watched.c.enterprise_id)
        .where(inspections.c.kind == "self", inspections.c.inspected_at >= utc(year_start))
        .where(inspections.c.inspected_at < utc(deadline))
        .scalar_subquery()
    )
    noted = select(misses.c.enterprise_id).where(
        misses.c.enterprise_id == watched.c.enterprise_id, misses.c.deadline == utc(deadline)
    )
    query = (
        select(watched.c.enterprise_id, done.label("done"))
        .where(watched.c.first_seen < utc(deadline), ~noted.exists(), done < required)
        .order_by(watched.c.enterprise_id)
        .limit(limit)
    )
    return [(r.enterprise_id, int(r.done)) for r in conn.execute(query)]


def view(row: Row) -> Row:
    findings = row["findings"]
    parsed = json.loads(findings) if row["kind"] == "spot_check" else []
    departments = row["departments"].split(",") if row["departments"] else []
    note = findings if row["kind"] == "self" else ""
    return row | {"findings": parsed, "note": note, "departments": departments}


def page(
    conn: Connection, filters: Row, cursor: Key | None, limit: int
) -> tuple[list[Row], str | None]:
    """Inspections by when they took place, after `cursor` (inspected_at, inspection_id);
    `filters` names columns and the values they must hold (a tuple: any of them)."""
    order = (inspections.c.inspected_at, inspections.c.inspection_id)
    query = select(inspections).where(after(order, cursor)).order_by(*order).limit(limit + 1)
    for name, wanted in filters.items():
        column = inspections.c[name]
        query = query.where(column.in_(wanted) if isinstance(wanted, tuple) else column == wanted)
    rows = [view(dict(r._mapping)) for r in conn.execute(query)]
    return page_of(rows, limit, lambda row: (row["inspected_at"], row["inspection_id"]))
