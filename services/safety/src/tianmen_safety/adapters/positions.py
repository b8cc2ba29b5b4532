"""How far each docket is applied (`safety_dockets.projected_through`), written once a
transaction: the docket events of a batch move it many times, and only the last counts. Nothing
reads it between a batch's handlers (`in_flight` is asked by the tick, before them, and by
commands, in transactions of their own)."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select, update
from tianmen_events import EventMeta
from tianmen_runtime.driver_sql import insert_rows

from tianmen_safety.adapters.orm import dockets

_KNOWN = select(dockets.c.docket_id).where(
    dockets.c.docket_id.in_(bindparam("ids", expanding=True))
)
_ADVANCE = (
    update(dockets)
    .where(dockets.c.docket_id == bindparam("docket"))
    .values(projected_through=bindparam("through"))
)


class DocketPositions:
    """A unit-of-work part: each docket's latest applied sequence, written at `flush`."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.through: dict[str, int] = {}

    def advance(self, meta: EventMeta) -> None:
        """A docket event (its docket is the subject) was applied."""
        self.through[meta.subject] = meta.sequence or 0

    def flush(self) -> None:
        if not self.through:
            return
        known = set(self.conn.execute(_KNOWN, {"ids": sorted(self.through)}).scalars())
        moved = [{"docket": d, "through": s} for d, s in self.through.items() if d in known]
        if moved:
            self.conn.execute(_ADVANCE, moved)
        new = [
            {"docket_id": d, "projected_through": s}
            for d, s in self.through.items()
            if d not in known
        ]
        insert_rows(self.conn, dockets, new)
        self.through.clear()
