"""The enterprises the docket has seen (`safety_watched_enterprises`): from the first docket
event about one, its self-inspections are due."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, bindparam, select
from tianmen_runtime.driver_sql import insert_rows

from tianmen_safety.adapters.case_rows import utc
from tianmen_safety.adapters.inspection_rows import watched

_KNOWN = select(watched.c.enterprise_id).where(watched.c.enterprise_id == bindparam("id"))


class Watching:
    """A unit-of-work part: each enterprise looked up once a transaction, not once a docket
    event (it writes as it goes: `flush` is empty)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.seen: set[str] = set()

    def watch(self, enterprise_id: str, at: datetime) -> None:
        """The docket saw `enterprise_id` at `at` (the first time counts)."""
        if enterprise_id in self.seen:
            return
        self.seen.add(enterprise_id)
        if self.conn.execute(_KNOWN, {"id": enterprise_id}).first() is None:
            row = {"enterprise_id": enterprise_id, "first_seen": utc(at)}
            insert_rows(self.conn, watched, [row])

    def flush(self) -> None:
        pass
