"""The transaction's case rows, an identity map: a batch's cases are read ahead in one query per
2,000, the docket's events move them in memory, and each is written once at flush: the cases
the transaction opened in one insert (as their last event left them: an opening and its
automatic confirmation in the same batch are one row written), the stored ones it changed in
one update. Before, each docket event read its row and updated (or inserted) it.

Nothing reads `safety_cases` between a batch's handlers (the tick and the look-ups ahead run
in `prepare`, before them; commands in transactions of their own), as for the docket's
position (`positions`), which is written at the same flush.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.exc import IntegrityError
from tianmen_events import DomainEvent, EventMeta
from tianmen_events.safety.cases import (
    CaseAcknowledged,
    CaseConfirmed,
    CaseDismissed,
    CaseEscalated,
    CaseOpened,
)
from tianmen_runtime.driver_sql import insert_rows
from tianmen_runtime.event_store import ConcurrencyConflict

from tianmen_safety.adapters.case_rows import case_of, utc
from tianmen_safety.adapters.looking_ahead import rows_for
from tianmen_safety.adapters.orm import cases
from tianmen_safety.domain import cases as domain
from tianmen_safety.domain.cases import Case, CaseState

_ROWS = select(cases).where(cases.c.case_id.in_(bindparam("ids", expanding=True)))
_MOVING = (
    "state",
    "tier",
    "due_at",
    "escalations",
    "acknowledged_by",
    "decided_by",
    "decided_at",
    "reason",
)
"""The columns a docket event may change: an update writes them all (one statement shape)."""
_UPDATE = (
    update(cases)
    .where(cases.c.case_id == bindparam("key_case_id"))
    .values({column: bindparam(column) for column in _MOVING})
)
Row = dict[str, Any]
_OPEN = str(CaseState.OPEN)
"""A `StrEnum` member's text is `str(member)` here, the same text as `.value` (an exact `str`):
`.value` is an enum property, ~0.25 us a read, six reads an alert's case."""


class CaseMap:
    """A unit-of-work part: each case's row as the transaction's docket events left it, with
    the case it holds (so a row is turned into a case once a transaction, not once an event)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.rows: dict[str, tuple[Row, Case] | None] = {}  # read (None: no row), or opened
        self.new: dict[str, None] = {}  # opened by this transaction, in order: to insert
        self.changed: set[str] = set()  # stored rows this transaction moved: to update

    def read_ahead(self, case_ids: Iterable[str]) -> None:
        """Read the rows of these cases not read yet, in one query per 2,000."""
        wanted = sorted(set(case_ids) - self.rows.keys())
        self.rows |= dict.fromkeys(wanted)
        for found in rows_for(self.conn, _ROWS, wanted):
            row = dict(found._mapping)
            self.rows[found.case_id] = row, case_of(row)

    def row(self, case_id: str) -> Row | None:
        """The case's row as this transaction has it (None: it has none)."""
        return None if (entry := self._entry(case_id)) is None else entry[0]

    def _entry(self, case_id: str) -> tuple[Row, Case] | None:
        if case_id not in self.rows:  # not read ahead (an event outside the batch's look-up)
            self.read_ahead([case_id])
        return self.rows[case_id]

    def project(self, event: DomainEvent, meta: EventMeta) -> tuple[Row, Case] | None:
        """Apply a docket event from the topic to its case's row (an opening delivered again
        changes nothing); for an event of an existing case, its row and the case after it."""
        case_id = getattr(event, "case_id", None)
        if case_id is None:
            return None
        entry = self._entry(case_id)
        if type(event) is CaseOpened:  # exact types: an `isinstance` miss costs ~0.4 us
            if entry is None:
                self.rows[case_id] = _opened(event, meta), domain.opened(event)
                self.new[case_id] = None
            return None
        if entry is None:
            return None
        row, before = entry
        after = domain.evolve(before, event)
        if after is not before:  # evolve returns the case itself when the event changes nothing
            row |= _changes(event, row, after)
            self.rows[case_id] = row, after
            if case_id not in self.new:
                self.changed.add(case_id)
        return row, after

    def flush(self) -> None:
        opened = [self.row(case_id) for case_id in self.new]
        moved = [{"key_case_id": c, **_moving(self.row(c))} for c in sorted(self.changed)]
        self.new, self.changed = {}, set()
        if moved:
            self.conn.execute(_UPDATE, moved)
        try:
            insert_rows(self.conn, cases, [row for row in opened if row is not None])
        except IntegrityError as exc:  # another consumer of the group opened one first
            raise ConcurrencyConflict("another writer opened one of these cases") from exc


def _opened(event: CaseOpened, meta: EventMeta) -> Row:
    """The row of a case just opened, every column (the insert's one shape)."""
    return {
        "case_id": event.case_id,
        "enterprise_id": event.enterprise_id,
        "violation_id": event.violation_id,
        "machine_id": event.machine_id,
        "code": str(event.code),
        "severity": str(event.severity),
        "jurisdiction": event.jurisdiction,
        "tier": str(event.tier),
        "state": _OPEN,
        "occurred_at": event.occurred_at.isoformat(),
        "opened_at": utc(meta.time),
        "due_at": utc(event.due_at),
        "escalations": 0,
        "acknowledged_by": None,
        "decided_by": None,
        "decided_at": None,
        "reason": None,
        "source_event_id": event.source_event_id,
        "source_event_type": event.source_event_type,
        "rule_version": event.rule_version,
    }


def _moving(row: Row | None) -> Row:
    assert row is not None, "a changed case has a row"
    return {column: row[column] for column in _MOVING}


def _changes(event: DomainEvent, row: Row, after: Case) -> Row:
    changes: Row = {"state": str(after.state), "tier": str(after.tier)}
    changes["due_at"] = utc(after.due_at)
    if type(event) is CaseConfirmed:  # exact types, the most common first (as the handlers)
        changes |= {"decided_by": event.actor, "decided_at": utc(event.at), "reason": None}
    elif type(event) is CaseDismissed:
        changes |= {"decided_by": event.actor, "decided_at": utc(event.at)}
        changes["reason"] = event.reason
    elif type(event) is CaseAcknowledged:
        changes["acknowledged_by"] = event.actor
    elif type(event) is CaseEscalated:
        changes["escalations"] = row["escalations"] + 1
    else:  # an appeal upheld
        changes["reason"] = getattr(event, "reason", None)
    return changes
