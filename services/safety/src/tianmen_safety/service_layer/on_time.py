"""What time makes happen (an escalation, an overdue rectification, a missed self-inspection,
a lapsed test, a rectification period passed) goes on the docket dated when it became true and
correlated by what it is about, not by the batch whose latest event noticed it: live runs
polling differently, and a replay's own derivations, say the same (`docs/decisions.md` 79).

The clock a tick runs to is not ahead of the dockets it reads (decision 87): a batch's tick sees
the dockets as the batch found them, so it stops short of the first thing the batch will apply
to a docket or file on one (`clock`); and a derivation about a docket waits while an event this
store put on that docket, dated before it, has not come back (`caught_up`). A replay that
reads the inputs, or one partition, months ahead of the docket so derives only what live did.
At one and the same moment what time makes happen comes first, as it always has (a batch ticks
before its handlers): a test lapses at its `valid_until` even if renewed at that very moment
(`inspections.lapse`), a self-inspection at the deadline is not before it. So the clock may
reach the first unapplied event's time, and what is in flight at the derivation's own time is
not waited for: waiting for a renewal dated at the lapse would lose the lapse for good."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from tianmen_events import DomainEvent, derive_id
from tianmen_runtime.db import events as event_log
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_safety.adapters.positions import DocketPositions, docket_version


def clock(latest: datetime, unapplied: Iterable[datetime]) -> datetime:
    """The time a batch's tick runs to: its latest event's, but no later than the earliest of what it
    has yet to apply to a docket (its docket events, the cases its inputs open): a deadline at
    that very moment is due first."""
    return min([latest, *unapplied])


def caught_up(uow: UnitOfWork, docket_id: str, at: datetime) -> bool:
    """Whether nothing this store put on the docket before `at` is still in flight (not yet
    back from the topic): what is derived about the docket at `at` sees all of it."""
    through = uow.part(DocketPositions, DocketPositions).applied(docket_id)
    query = select(event_log.c.time).where(
        event_log.c.aggregate_id == docket_id, event_log.c.sequence > through
    )
    return all(datetime.fromisoformat(t) >= at for t in uow.conn.execute(query).scalars())


def to_docket(uow: UnitOfWork, event: DomainEvent, at: datetime, *about: str) -> None:
    """On its docket, dated `at`, correlated by `about` and `at`, caused by no event."""
    docket: str = event.docket_id  # type: ignore[attr-defined]
    uow.events.append(
        docket,
        [event],
        expected_version=docket_version(uow, docket),
        time=at,
        correlation_id=derive_id(*about, at.isoformat()),
    )
