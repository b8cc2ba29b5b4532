"""Which cases one transaction knows to be filed, so filing a case costs the same however
many alerts the transaction (or the docket's unprojected tail) holds.

A case is filed once its row exists, or one of its events is in flight on the docket (appended,
not yet back from `safety.case`), or this transaction appended one. Each of these only grows
within a transaction (an event that leaves the in-flight tail was projected, so its case has a
row), so a docket's in-flight case ids are read once, this transaction's appended events are
indexed as they come, and the rows of the cases a batch may open are read ahead in one query
(a row that appears later in the transaction is a docket event projected here, and noted),
instead of a query and a scan of both for every alert.
"""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, cast, func, select
from sqlalchemy.dialects.postgresql import JSONB
from tianmen_runtime.db import events as event_log
from tianmen_runtime.event_store import EventStore

from tianmen_safety.adapters.orm import cases, dockets

# Built once: they run for every alert (SQLAlchemy caches the compiled form).
_ROW = select(cases.c.case_id).where(cases.c.case_id == bindparam("case_id"))
_ROWS = select(cases.c.case_id).where(cases.c.case_id.in_(bindparam("ids", expanding=True)))
_AT_ONCE = 500
_THROUGH = select(dockets.c.projected_through).where(dockets.c.docket_id == bindparam("docket"))
_IN_TAIL = (event_log.c.aggregate_id == bindparam("docket")) & (
    event_log.c.sequence > bindparam("through")
)
# The payload's case id, taken by the database (the payload is JSON text):
_TAIL = {
    "sqlite": select(func.json_extract(event_log.c.payload, "$.case_id")).where(_IN_TAIL),
    "postgresql": select(cast(event_log.c.payload, JSONB)["case_id"].astext).where(_IN_TAIL),
}


class Filed:
    """A unit-of-work part: it writes nothing (`flush` is empty)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.in_flight: dict[str, set[str]] = {}  # docket id -> case ids read once
        self.appended: set[str] = set()  # case ids of this transaction's events
        self.indexed = 0  # how many of the event store's appended events are in `appended`
        self.rows: set[str] = set()  # case ids read ahead that have a row
        self.read: set[str] = set()  # case ids read ahead, with a row or not

    def read_ahead(self, case_ids: set[str]) -> None:
        """Which of the cases a batch may open have a row, in one query."""
        wanted = sorted(case_ids - self.read)
        for at in range(0, len(wanted), _AT_ONCE):
            chunk = wanted[at : at + _AT_ONCE]
            self.rows.update(self.conn.execute(_ROWS, {"ids": chunk}).scalars())
            self.read.update(chunk)

    def projected(self, case_id: str) -> None:
        """A docket event from the topic moved (or opened) the case's row."""
        self.appended.add(case_id)

    def has(self, events: EventStore, docket_id: str, case_id: str) -> bool:
        self._index(events)
        if case_id in self.appended or case_id in self.rows:
            return True
        if case_id in self._in_flight(docket_id):
            return True
        if case_id in self.read:  # read ahead without a row, and none projected since
            return False
        return self.conn.execute(_ROW, {"case_id": case_id}).first() is not None

    def _index(self, events: EventStore) -> None:
        new = events.appended[self.indexed :]
        self.appended.update(_case_id(r.event) for r in new)
        self.indexed += len(new)

    def _in_flight(self, docket_id: str) -> set[str]:
        found = self.in_flight.get(docket_id)
        if found is None:
            found = self.in_flight[docket_id] = self._read_in_flight(docket_id)
        return found

    def _read_in_flight(self, docket_id: str) -> set[str]:
        """`case_rows.in_flight`'s case ids, taken from the stored payloads by the database
        (every docket event's schema names its case `case_id`, or has none)."""
        through = self.conn.execute(_THROUGH, {"docket": docket_id}).scalar() or 0
        query = _TAIL[self.conn.dialect.name]
        tail = self.conn.execute(query, {"docket": docket_id, "through": through}).scalars()
        return {case_id or "" for case_id in tail}

    def flush(self) -> None:
        pass


def _case_id(event: object) -> str:
    return getattr(event, "case_id", None) or ""
