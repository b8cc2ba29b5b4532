"""Which cases are filed, so filing a case costs one index look-up however long the history.

A case is filed once its row exists (its opening came back from `safety.case`) or this store
appended its opening to the docket (`safety_case_openings`, written in the transaction that
appended it). Both are keyed by the case id, so the cases a batch may open are looked up ahead
in one query per 2,000, and what this transaction files or projects is noted as it happens.
Before, the openings still in flight were found by scanning each docket's unprojected tail in
the event log (decoding each payload's case id): a cost that grew with the tail.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, bindparam, select, union
from tianmen_runtime.driver_sql import insert_rows

from tianmen_safety.adapters.looking_ahead import rows_for
from tianmen_safety.adapters.orm import case_openings, cases

_FILED = union(
    select(cases.c.case_id).where(cases.c.case_id.in_(bindparam("ids", expanding=True))),
    select(case_openings.c.case_id).where(
        case_openings.c.case_id.in_(bindparam("ids", expanding=True))
    ),
)


class Filed:
    """A unit-of-work part: the openings this transaction appended are written at `flush`."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.known: set[str] = set()  # filed: a row, an opening appended, or this transaction's
        self.read: set[str] = set()  # looked up ahead, filed or not
        self.opened: list[str] = []  # openings this transaction appended, to write

    def read_ahead(self, case_ids: Iterable[str]) -> None:
        """Look up, in one query per 2,000, which of these cases are filed."""
        wanted = sorted(set(case_ids) - self.read)
        self.known.update(row.case_id for row in rows_for(self.conn, _FILED, wanted))
        self.read.update(wanted)

    def has(self, case_id: str) -> bool:
        if case_id not in self.read:  # not read ahead (a caller outside the consumer's batch)
            self.read_ahead([case_id])
        return case_id in self.known

    def opening(self, case_id: str) -> None:
        """This transaction appended the case's opening to its docket."""
        self.known.add(case_id)
        self.opened.append(case_id)

    def projected(self, case_id: str) -> None:
        """A docket event from the topic moved (or opened) the case's row."""
        self.known.add(case_id)

    def flush(self) -> None:
        insert_rows(self.conn, case_openings, [{"case_id": c} for c in self.opened])
        self.opened.clear()
