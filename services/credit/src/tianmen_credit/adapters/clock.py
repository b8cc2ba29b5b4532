"""The event time credit has seen: the latest event time among the events it consumed, over
every partition of its topics (a watermark), kept in `credit_clock`.

It is what makes expiries happen on time for an enterprise with no new fact: once the clock
passes a row's `next_expiry`, the row moves to that expiry (`service_layer/expiries.py`).
It is a maximum over the consumed events, so a replay ends where live did whatever the
interleaving of the topics; it never reads the wall clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlalchemy import Connection, bindparam, insert, select, update

from tianmen_credit.adapters.orm import clock, scores

_NAME = "events"
_READ = select(clock.c.at).where(clock.c.name == _NAME)
_WRITE = update(clock).where(clock.c.name == _NAME)
_DUE = select(scores.c.enterprise_id).where(scores.c.next_expiry <= bindparam("at"))


def utc_key(at: datetime) -> str:
    """A moment as a UTC string of fixed width, so string order is time order."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


class Clock:
    """One transaction's clock (a unit-of-work part): read once, advanced by the batch's event
    times, and at flush the rows it has passed are moved (`sweep`), then it is written."""

    def __init__(self, conn: Connection, sweep: Callable[[set[str], datetime], None]) -> None:
        self.conn = conn
        self.sweep = sweep
        self.stored: datetime | None = None
        self.at: datetime | None = None
        stored = conn.execute(_READ).scalar_one_or_none()
        if stored is not None:
            self.stored = self.at = datetime.fromisoformat(stored)

    def advance(self, times: Iterable[datetime]) -> None:
        self.at = max([*times, *([] if self.at is None else [self.at])], default=None)

    def due(self) -> set[str]:
        """Enterprises whose stored row the clock has passed the next expiry of."""
        if self.at is None:
            return set()
        return set(self.conn.execute(_DUE, {"at": utc_key(self.at)}).scalars())

    def flush(self) -> None:
        if self.at is None:
            return
        self.sweep(self.due(), self.at)
        if self.stored is None:
            self.conn.execute(insert(clock), {"name": _NAME, "at": utc_key(self.at)})
        elif self.at > self.stored:
            self.conn.execute(_WRITE, {"at": utc_key(self.at)})
        self.stored = self.at
