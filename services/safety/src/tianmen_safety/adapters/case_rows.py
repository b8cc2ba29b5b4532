"""The desk's rows: `safety_cases` as the docket topic says, and what is still in flight.

Rows change only when the docket's events come back from `safety.case` (live and in replay
alike, in the topic's order: `case_map`), so replay rebuilds them exactly. A command or an escalation
decides on the row brought up to date with the docket's events appended but not yet applied.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, bindparam, select
from tianmen_events import DomainEvent
from tianmen_events.catalog import upcast
from tianmen_events.codes import ViolationCode
from tianmen_events.safety.cases import Tier
from tianmen_runtime.db import events as event_log

from tianmen_safety.adapters.orm import cases, dockets
from tianmen_safety.domain import cases as domain
from tianmen_safety.domain.cases import Case, CaseState


def utc(at: datetime | None) -> str | None:
    """Times the desk compares as strings: in UTC, so their order is the times' order."""
    return None if at is None else _utc(at, at.fold)


def as_given(at: datetime) -> str:
    """`at.isoformat()` (the text a row keeps of a time as it was given, in its own offset):
    from `utc`'s texts when `at` is in UTC, where it is the same text. One instant's text is
    asked several times an alert: its case's opening and its ledger rows share the docket
    event's time, its confirmation and its violation the alert's (an `isoformat` ~1 us)."""
    return _utc(at, at.fold) if at.tzinfo is UTC else at.isoformat()


@lru_cache(maxsize=4096)
def _utc(at: datetime, fold: int) -> str:
    """An alert's cases and rows repeat its time (a case opened, confirmed, the enterprise
    watched): one conversion and text for them all, where each cost microseconds. Equal
    datetimes are one instant, so one UTC text, except wall times of one zone that differ only
    in `fold` (equal for `==`, yet an hour apart): hence `fold` in the key."""
    return at.astimezone(UTC).isoformat()


def case_of(row: Mapping[str, Any]) -> Case:
    due = None if row["due_at"] is None else datetime.fromisoformat(row["due_at"])
    return Case(
        row["case_id"],
        row["enterprise_id"],
        row["violation_id"],
        ViolationCode(row["code"]),
        Tier(row["tier"]),
        CaseState(row["state"]),
        due,
    )


_LOAD = select(cases).where(cases.c.case_id == bindparam("id"))


def load(conn: Connection, case_id: str) -> Any:
    return conn.execute(_LOAD, {"id": case_id}).first()


def current(conn: Connection, row: Any) -> Case:
    """The case with its docket's in-flight events applied (what the next decision sees)."""
    case = case_of(row._mapping)
    for event in in_flight(conn, f"docket:{row.enterprise_id}"):
        if getattr(event, "case_id", None) == case.case_id:
            case = domain.evolve(case, event)
    return case


def in_flight(conn: Connection, docket_id: str) -> list[DomainEvent]:
    through = conn.execute(
        select(dockets.c.projected_through).where(dockets.c.docket_id == docket_id)
    ).scalar()
    query = (
        select(event_log.c.type, event_log.c.version, event_log.c.payload)
        .where(event_log.c.aggregate_id == docket_id, event_log.c.sequence > (through or 0))
        .order_by(event_log.c.sequence)
    )
    return [upcast(r.type, r.version, json.loads(r.payload)) for r in conn.execute(query)]


def due(conn: Connection, now: datetime, limit: int) -> list[Any]:
    """Pending cases whose deadline has passed by `now`, oldest deadline first."""
    query = (
        select(cases)
        .where(cases.c.state.in_([s.value for s in domain.PENDING]))
        .where(cases.c.due_at.is_not(None), cases.c.due_at <= utc(now))
        .order_by(cases.c.due_at, cases.c.case_id)
        .limit(limit)
    )
    return list(conn.execute(query))
