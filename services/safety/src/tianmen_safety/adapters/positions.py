"""How far each docket is applied (`safety_dockets.projected_through`), written once a
transaction: the docket events of a batch move it many times, and only the last counts. Nothing
reads it between a batch's handlers (`in_flight` is asked by the tick, before them, and by
commands, in transactions of their own) but `docket_version`, which reads this transaction's
own advance first.

What is appended to a docket takes its place after the docket's last event applied from the
topic (`docket_version`): a store rebuilt by replay holds in its event table only what it
derived itself, not what commands put on the docket (decision 81)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from tianmen_events import EventMeta
from tianmen_runtime.driver_sql import execute_rows
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_safety.adapters.orm import dockets

_APPLIED = select(dockets.c.docket_id, dockets.c.projected_through).where(
    dockets.c.docket_id.in_(bindparam("ids", expanding=True))
)
_ADVANCE = {
    name: (upsert := dialect.insert(dockets)).on_conflict_do_update(
        index_elements=[dockets.c.docket_id],
        set_={"projected_through": upsert.excluded.projected_through},
    )
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}
"""A docket's row written whether it exists or not: one statement a transaction, where asking
which exist first (to update those, insert the rest) cost a query and a statement more."""


class DocketPositions:
    """A unit-of-work part: each docket's latest applied sequence, written at `flush`."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.through: dict[str, int] = {}
        self.stored: dict[str, int] = {}
        """`projected_through` as this transaction read it (0: never applied)."""

    def read_ahead(self, docket_ids: Iterable[str]) -> None:
        """Read how far the dockets are applied, in one query (per 2,000)."""
        wanted = sorted(set(docket_ids) - self.stored.keys())
        for at in range(0, len(wanted), 2000):
            chunk = wanted[at : at + 2000]
            found = {d: s for d, s in self.conn.execute(_APPLIED, {"ids": chunk})}
            self.stored.update({d: found.get(d, 0) for d in chunk})

    def applied(self, docket_id: str) -> int:
        """The place of the docket's latest event applied, this transaction's included."""
        if docket_id in self.through:
            return self.through[docket_id]
        if docket_id not in self.stored:
            self.read_ahead([docket_id])
        return self.stored[docket_id]

    def advance(self, meta: EventMeta) -> None:
        """A docket event (its docket is the subject) was applied."""
        self.through[meta.subject] = meta.sequence or 0

    def flush(self) -> None:
        rows = [{"docket_id": d, "projected_through": s} for d, s in self.through.items()]
        execute_rows(self.conn, _ADVANCE[self.conn.dialect.name], rows)
        self.through.clear()


def docket_version(uow: UnitOfWork, docket_id: str) -> int:
    """The docket's version to append at: after what this store appended and what it applied."""
    applied = uow.part(DocketPositions, DocketPositions).applied(docket_id)
    return uow.events.version_after(docket_id, applied)
