"""Which cases one transaction knows to be filed, so filing a case costs the same however
many alerts the transaction (or the docket's unprojected tail) holds.

A case is filed once its row exists, or its opening is in flight on the docket (appended, not
yet back from `safety.case`), or this transaction appended or projected one of its events.
Each of these only grows within a transaction (an opening that leaves the in-flight tail was
projected, so its case has a row), so the cases a batch may open are looked up ahead, rows and
in-flight openings in one query each, and this transaction's appended events are indexed as
they come, instead of a query and a scan of the transaction and the docket for every alert.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Select, bindparam, cast, func, select
from sqlalchemy.dialects.postgresql import JSONB
from tianmen_events.safety.cases import CaseOpened
from tianmen_runtime.db import events as event_log
from tianmen_runtime.event_store import EventStore

from tianmen_safety.adapters.orm import cases, dockets

_AT_ONCE = 2000  # case ids per query (a replay polls 2,000 records: one query each)
_ROWS = select(cases.c.case_id).where(cases.c.case_id.in_(bindparam("ids", expanding=True)))
# An opening's case id, taken from the payload (JSON text) by the database:
_CASE_ID = {
    "sqlite": func.json_extract(event_log.c.payload, "$.case_id"),
    "postgresql": cast(event_log.c.payload, JSONB)["case_id"].astext,
}


def _openings(dialect: str) -> Select[Any]:
    """Openings of the given cases on the given dockets that the docket has not projected."""
    case_id = _CASE_ID[dialect]
    joined = event_log.outerjoin(dockets, dockets.c.docket_id == event_log.c.aggregate_id)
    return (
        select(case_id)
        .select_from(joined)
        .where(event_log.c.aggregate_id.in_(bindparam("dockets", expanding=True)))
        .where(event_log.c.type == CaseOpened.type)
        .where(event_log.c.sequence > func.coalesce(dockets.c.projected_through, 0))
        .where(case_id.in_(bindparam("ids", expanding=True)))
    )


_OPENINGS = {dialect: _openings(dialect) for dialect in _CASE_ID}


class Filed:
    """A unit-of-work part: it writes nothing (`flush` is empty)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.known: set[str] = set()  # filed: a row, an opening in flight, or this transaction's
        self.read: set[str] = set()  # looked up ahead, filed or not
        self.indexed = 0  # how many of the event store's appended events are in `known`

    def read_ahead(self, case_dockets: Mapping[str, str]) -> None:
        """Look up, in two queries per 2,000, which of these cases (id -> docket) are filed."""
        wanted = sorted(case_dockets.keys() - self.read)
        openings = _OPENINGS[self.conn.dialect.name]
        for at in range(0, len(wanted), _AT_ONCE):
            ids = wanted[at : at + _AT_ONCE]
            on = sorted({case_dockets[i] for i in ids})
            self.known.update(self.conn.execute(_ROWS, {"ids": ids}).scalars())
            found = self.conn.execute(openings, {"ids": ids, "dockets": on}).scalars()
            self.known.update(found)
            self.read.update(ids)

    def projected(self, case_id: str) -> None:
        """A docket event from the topic moved (or opened) the case's row."""
        self.known.add(case_id)

    def has(self, events: EventStore, docket_id: str, case_id: str) -> bool:
        new = events.appended[self.indexed :]
        self.known.update(c for r in new if (c := getattr(r.event, "case_id", None)))
        self.indexed += len(new)
        if case_id not in self.read:  # not read ahead (a caller outside the consumer's batch)
            self.read_ahead({case_id: docket_id})
        return case_id in self.known

    def flush(self) -> None:
        pass
