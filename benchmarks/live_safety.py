"""What live safety would have published from the bench's inputs (used by `bench_replay.py`).

One store consumes safety's inputs (alerts, verified tips) in event-time order, in polls, as
the live consumer does, and its relay's output comes back: each poll's docket events are read
in the polls that follow (first, as they were on `safety.case` before the next inputs). What it
appended is published as its relay publishes it, from the outbox in the order it was written:
the docket (`safety.case`) and its ledger's events (`safety.enterprise`, 1 in 97 stamped a
month late, so the audit's recorded axis has a past). So every docket event has the id and
sequence of its place on live's docket, and a replay of that log reads what live wrote.

Before, the log's docket was derived by replays of a growing log until one derived nothing new
by event id; a replay's docket holds only what it derives itself, so its ids name positions on
another docket than live's, and that never converged (docs/decisions.md 79, and the next one).

`unpublished` is the proof a replay gives: the docket events it derived that are not on the
log, compared by type and payload (what they say, not where a store put them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from itertools import count

from replay_log import Stamped, stamp
from sqlalchemy import delete, select, text
from tianmen_events import decode
from tianmen_events.topics import SAFETY_CASE
from tianmen_runtime.bulk_load import bulk_load
from tianmen_runtime.db import outbox
from tianmen_runtime.projection import Applying, apply_batch
from tianmen_runtime.replay_window import ReplayWindow
from tianmen_runtime.service import Service
from tianmen_runtime.testing import Record, TopicLog

POLL = 500
"""Records a live poll applies, its docket's events first: the consumer's `max_poll_records`."""
LATE = timedelta(days=30)


def published(service: Service, inputs: Iterable[Stamped]) -> Iterator[Stamped]:
    """Consume the inputs safety reads, live; yield what its relay published, as it was
    published (stamped when the poll that appended it had seen, plus 5 minutes)."""
    subscription = service.subscription
    assert subscription is not None
    window = ReplayWindow(subscription.name, subscription.duplicate_window)  # the guard, in memory
    how = Applying(window, outbox=True, timed=False)
    logs = {topic: TopicLog() for topic in subscription.topics}
    mine = (s for s in inputs if s[0].topic in subscription.topics)
    waiting: list[Record] = []
    ledger = count()
    with bulk_load(service.engine):
        while batch := _poll(waiting, mine, logs):
            records, clock = batch
            apply_batch(service.engine, subscription, records, how)
            for stamped in _relayed(service, clock):
                if stamped[0].topic == SAFETY_CASE.name:
                    waiting.append(logs[SAFETY_CASE.name].record(*stamped[:2]))
                elif next(ledger) % 97 == 96:
                    stamped = (*stamped[:2], stamped[2] + int(LATE.total_seconds() * 1000))
                yield stamped


def _poll(
    waiting: list[Record], inputs: Iterator[Stamped], logs: dict[str, TopicLog]
) -> tuple[list[Record], datetime] | None:
    """The next poll: the docket's waiting events, then inputs up to `POLL`; and the latest
    input time the poll has seen (what live's clock would read when its relay published)."""
    records = waiting[:POLL]
    del waiting[:POLL]
    clock: datetime | None = None
    for event, meta, _ in inputs:
        records.append(logs[event.topic].record(event, meta))
        clock = meta.time
        if len(records) >= POLL:
            break
    if not records:
        return None
    return records, clock or _time(records[-1])


def _time(record: Record) -> datetime:
    return datetime.fromisoformat(dict(record.headers)["ce_time"].decode())


def _relayed(service: Service, clock: datetime) -> list[Stamped]:
    """The outbox, in order, emptied (as the relay marks it published)."""
    with service.engine.begin() as conn:
        rows = conn.execute(select(outbox).order_by(outbox.c.position)).all()
        conn.execute(delete(outbox))
    found = []
    for row in rows:
        event, meta = decode([(k, v.encode()) for k, v in json.loads(row.headers)], row.value)
        found.append((event, meta, stamp(max(meta.time, clock), minutes=5)))
    return found


BY_CONTENT = "type, payload"
"""A docket event is the same fact as another when it says the same (decision 79)."""
BY_ID = "event_id"
"""What the bench compared before: a place on a docket."""


def unpublished(
    replayed: Service, live: Service, *, by: str = BY_CONTENT
) -> list[tuple[object, ...]]:
    """The docket events `replayed` derived that `live` did not publish, compared `by` those
    columns of the event log (SQLite stores: `live` attached to `replayed`'s connection)."""
    assert by in (BY_CONTENT, BY_ID)
    where = f"topic = '{SAFETY_CASE.name}'"
    query = (
        f"SELECT {by} FROM events WHERE {where} EXCEPT SELECT {by} FROM live.events WHERE {where}"  # noqa: S608 (this module's columns)
    )
    with replayed.engine.connect() as conn:
        conn.execute(text("ATTACH DATABASE :path AS live"), {"path": live.engine.url.database})
        try:
            return [tuple(row) for row in conn.execute(text(query))]
        finally:
            conn.rollback()  # the read's transaction ends before its database can be detached
            conn.execute(text("DETACH DATABASE live"))
