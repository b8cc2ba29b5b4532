"""The event time credit has seen: the latest event time two subjects have each reached among
the events it consumed, over every partition of its topics (`domain/vouched.py`), kept in
`credit_clock` (row `events`) with the two leading subjects' latest times (rows `lead:<key>`).

It is what makes expiries happen on time for an enterprise with no new fact: once the clock
passes a row's `next_expiry`, the row moves to that expiry (`service_layer/expiries.py`).
It is a function of the set of consumed events, so a replay ends where live did whatever the
interleaving of the topics; it never reads the wall clock; one event dated in the future moves
only its own subject (decision 69).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from tianmen_credit.adapters.orm import clock, scores
from tianmen_credit.domain.vouched import Lead, leading, vouched

_NAME = "events"
_LEAD = "lead:"
_READ = select(clock.c.name, clock.c.at)
_WRITE = update(clock).where(clock.c.name == _NAME)
_UNLEAD = delete(clock).where(clock.c.name.startswith(_LEAD))
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
        rows = {name: datetime.fromisoformat(at) for name, at in conn.execute(_READ)}
        self.leads = self.stored_leads = _leads(rows)
        if _NAME in rows:
            self.stored = self.at = rows[_NAME]

    def advance(self, seen: Iterable[Lead]) -> None:
        """Count the batch's (subject, event time) pairs: the clock moves to the latest time
        two subjects have reached, never back."""
        self.leads = leading(self.leads, seen)
        now = vouched(self.leads)
        if now is not None and (self.at is None or now > self.at):
            self.at = now

    def due(self) -> set[str]:
        """Enterprises whose stored row the clock has passed the next expiry of."""
        if self.at is None:
            return set()
        return set(self.conn.execute(_DUE, {"at": utc_key(self.at)}).scalars())

    def flush(self) -> None:
        if self.leads != self.stored_leads:
            self.conn.execute(_UNLEAD)
            rows = [{"name": _LEAD + s, "at": utc_key(at)} for s, at in self.leads]
            self.conn.execute(insert(clock), rows)
            self.stored_leads = self.leads
        if self.at is None:
            return
        self.sweep(self.due(), self.at)
        if self.stored is None:
            self.conn.execute(insert(clock), {"name": _NAME, "at": utc_key(self.at)})
        elif self.at > self.stored:
            self.conn.execute(_WRITE, {"at": utc_key(self.at)})
        self.stored = self.at


def _leads(rows: dict[str, datetime]) -> list[Lead]:
    return leading(
        [], ((n.removeprefix(_LEAD), at) for n, at in rows.items() if n.startswith(_LEAD))
    )
