"""The desk's rows: `safety_cases` as the docket topic says, and what is still in flight.

Rows change only when the docket's events come back from `safety.case` (live and in replay
alike, in the topic's order), so replay rebuilds them exactly. A command or an escalation
decides on the row brought up to date with the docket's events appended but not yet applied.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, Update, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from tianmen_events import DomainEvent, EventMeta
from tianmen_events.catalog import upcast
from tianmen_events.codes import ViolationCode
from tianmen_events.safety.cases import (
    CaseAcknowledged,
    CaseConfirmed,
    CaseDismissed,
    CaseEscalated,
    CaseOpened,
    Tier,
)
from tianmen_runtime.db import events as event_log

from tianmen_safety.adapters.orm import cases, dockets
from tianmen_safety.domain import cases as domain
from tianmen_safety.domain.cases import Case, CaseState


def utc(at: datetime | None) -> str | None:
    """Times the desk compares as strings: in UTC, so their order is the times' order."""
    return None if at is None else at.astimezone(UTC).isoformat()


def case_of(row: Any) -> Case:
    due = None if row.due_at is None else datetime.fromisoformat(row.due_at)
    return Case(
        row.case_id,
        row.enterprise_id,
        row.violation_id,
        ViolationCode(row.code),
        Tier(row.tier),
        CaseState(row.state),
        due,
    )


_LOAD = select(cases).where(cases.c.case_id == bindparam("id"))


def load(conn: Connection, case_id: str) -> Any:
    return conn.execute(_LOAD, {"id": case_id}).first()


_VIOLATIONS = select(cases.c.violation_id).where(
    cases.c.case_id.in_(bindparam("ids", expanding=True))
)


def violation_ids(conn: Connection, case_ids: set[str]) -> set[str]:
    """The violations these cases (those with rows) become if confirmed, in one query."""
    return set(conn.execute(_VIOLATIONS, {"ids": sorted(case_ids)}).scalars())


def current(conn: Connection, row: Any) -> Case:
    """The case with its docket's in-flight events applied (what the next decision sees)."""
    case = case_of(row)
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


class Opened:
    """A unit-of-work part: the rows this transaction opened and has not changed since, so a
    case's next event in the batch (an automatic confirmation) need not read its row back."""

    def __init__(self, conn: Connection) -> None:
        self.rows: dict[str, Any] = {}

    def flush(self) -> None:
        pass


def project(
    conn: Connection, event: DomainEvent, meta: EventMeta, opened: Opened
) -> tuple[Any, Case] | None:
    """Apply a docket event from the topic to its case row (how far the docket is applied is
    `positions`'); for an event of an existing case, its row as it was and the case now."""
    moved = None
    case_id = getattr(event, "case_id", "")
    if isinstance(event, CaseOpened):
        if (row := _open(conn, event, meta)) is not None:
            opened.rows[case_id] = row
    elif (row := opened.rows.pop(case_id, None) or load(conn, case_id)) is not None:
        before = case_of(row)
        moved = row, domain.evolve(before, event)
        if moved[1] != before:
            changes = _changes(event, before, moved[1])
            values = {f"new_{k}": v for k, v in changes.items() if k != "escalations"}
            conn.execute(_update(tuple(changes)), {"id": before.case_id, **values})
    return moved


@lru_cache(maxsize=16)
def _update(keys: tuple[str, ...]) -> Update:
    """The row's update setting these columns (built once per set of them)."""
    plus_one = cases.c.escalations + 1
    values = {k: plus_one if k == "escalations" else bindparam(f"new_{k}") for k in keys}
    return update(cases).where(cases.c.case_id == bindparam("id")).values(values)


_OPEN = {
    "sqlite": sqlite.insert(cases).on_conflict_do_nothing(),
    "postgresql": postgresql.insert(cases).on_conflict_do_nothing(),
}
"""A case's row, unless it has one (an opening delivered again): one statement, not two."""


def _open(conn: Connection, event: CaseOpened, meta: EventMeta) -> SimpleNamespace | None:
    """The row inserted (as `load` would read it back), or None if the case had one."""
    row = event.model_dump(mode="json", exclude={"docket_id"})
    row |= {"due_at": utc(event.due_at), "occurred_at": event.occurred_at.isoformat()}
    row |= {"opened_at": utc(meta.time), "state": CaseState.OPEN.value, "escalations": 0}
    if conn.execute(_OPEN[conn.dialect.name], row).rowcount != 1:
        return None
    return SimpleNamespace(**row)


def _changes(event: DomainEvent, before: Case, after: Case) -> dict[str, Any]:
    changes: dict[str, Any] = {"state": after.state.value, "tier": after.tier.value}
    changes["due_at"] = utc(after.due_at)
    if isinstance(event, CaseAcknowledged):
        changes["acknowledged_by"] = event.actor
    elif isinstance(event, CaseConfirmed | CaseDismissed):
        changes |= {"decided_by": event.actor, "decided_at": utc(event.at)}
        changes["reason"] = event.reason if isinstance(event, CaseDismissed) else None
    elif isinstance(event, CaseEscalated):
        changes["escalations"] = None  # one more: `_update` adds it
    else:  # an appeal upheld
        changes["reason"] = getattr(event, "reason", None)
    return changes


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
