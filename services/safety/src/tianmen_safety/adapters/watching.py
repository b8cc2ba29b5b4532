"""The enterprises the docket has seen (`safety_watched_enterprises`): from the first docket
event about one, its self-inspections are due."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, bindparam, select
from tianmen_runtime.driver_sql import insert_rows

from tianmen_safety.adapters.case_rows import utc
from tianmen_safety.adapters.inspection_rows import watched
from tianmen_safety.adapters.looking_ahead import rows_for

_KNOWN = select(watched.c.enterprise_id).where(
    watched.c.enterprise_id.in_(bindparam("ids", expanding=True))
)


class Watching:
    """A unit-of-work part: the batch's enterprises looked up ahead in one query (`prepare`),
    the new ones written in one insert at flush. Nothing reads the table between a batch's
    handlers (the tick asks it in `prepare`, before them)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.seen: set[str] = set()  # watched: stored, or first seen by this transaction
        self.read: set[str] = set()  # looked up, watched or not
        self.new: list[dict[str, str | None]] = []

    def read_ahead(self, enterprise_ids: Iterable[str]) -> None:
        wanted = sorted(set(enterprise_ids) - self.read)
        self.seen.update(row.enterprise_id for row in rows_for(self.conn, _KNOWN, wanted))
        self.read.update(wanted)

    def watch(self, enterprise_id: str, at: datetime) -> None:
        """The docket saw `enterprise_id` at `at` (the first time counts)."""
        if enterprise_id in self.seen:
            return
        if enterprise_id not in self.read:
            self.read_ahead([enterprise_id])
            if enterprise_id in self.seen:
                return
        self.seen.add(enterprise_id)
        self.new.append({"enterprise_id": enterprise_id, "first_seen": utc(at)})

    def flush(self) -> None:
        insert_rows(self.conn, watched, self.new)
        self.new = []
