"""Append-only event table with optimistic concurrency, writing the outbox in the same transaction.

Appended events are written when the unit of work flushes (before it commits, or before a
`load`), all of one transaction in one statement per table: a consumer transaction of 200
events costs two inserts, not 400. The aggregate's version is read once per transaction and
then kept; a writer that appended meanwhile is caught by the unique `(aggregate_id, sequence)`
when the events are written, as `ConcurrencyConflict`, and the whole transaction rolls back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import (
    Connection,
    Dialect,
    RowMapping,
    bindparam,
    func,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError
from tianmen_events import DomainEvent, EventMeta
from tianmen_events.catalog import upcast
from tianmen_events.frozen import assembled
from tianmen_events.ids import ids_under

from tianmen_runtime.db import events, outbox
from tianmen_runtime.driver_sql import insert_rows, versions
from tianmen_runtime.event_rows import COLUMNS, Row, event_rows, rows_and_messages

# Built once: every appended event runs these (SQLAlchemy caches the compiled form).
_VERSION = select(func.coalesce(func.max(events.c.sequence), 0)).where(
    events.c.aggregate_id == bindparam("aggregate_id")
)
_VERSIONS_AT_ONCE = 100  # aggregates per query (SQLite allows 500 SELECTs in a compound)


def _padded(chunk: list[str]) -> list[str]:
    """`chunk` with its last id repeated up to a power of two (or `_VERSIONS_AT_ONCE`): the
    query is compiled once per size, and a replay's polls would otherwise ask for most sizes
    up to 100, each compiled at a cost of hundreds of events."""
    size = min(1 << (len(chunk) - 1).bit_length(), _VERSIONS_AT_ONCE)
    return chunk + chunk[-1:] * (size - len(chunk))


class ConcurrencyConflict(Exception):
    """Another writer appended to the aggregate first; reload and decide again."""


class Recorded(NamedTuple):
    """An event and its meta, as appended or loaded (a tuple: built for every appended event)."""

    event: DomainEvent
    meta: EventMeta


_recorded_tuple = tuple.__new__
"""`Recorded(event, meta)` without its generated `__new__`'s call (four an alert in safety's
replay): the same tuple of the same class."""


class EventStore:
    def __init__(self, conn: Connection, source: str, *, outbox: bool = True) -> None:
        self.conn = conn
        self.source = source
        self.outbox = outbox
        """Whether appended events go to the outbox too (not in a replay: see `replay`)."""
        self.versions: dict[str, int] = {}
        self.pending: list[Recorded] = []

    def version(self, aggregate_id: str) -> int:
        if aggregate_id not in self.versions:
            found = self.conn.execute(_VERSION, {"aggregate_id": aggregate_id}).scalar_one()
            self.versions[aggregate_id] = int(found)
        return self.versions[aggregate_id]

    def version_after(self, aggregate_id: str, applied: int) -> int:
        """The aggregate's version, at least `applied`, the place of its latest event that this
        store applied from its topic: a store rebuilt by replay never appended what others put
        there (commands run on the store it replaces), so what it appends next takes places
        after the log's, not ids the log holds for other events. What this store appended is
        never behind its topic, so live this is `version`."""
        version = self.versions[aggregate_id] = max(self.version(aggregate_id), applied)
        return version

    def read_versions(self, aggregate_ids: Iterable[str]) -> None:
        """Read the versions of aggregates a transaction will append to, in one query."""
        wanted = sorted(set(aggregate_ids) - set(self.versions))
        for at in range(0, len(wanted), _VERSIONS_AT_ONCE):
            chunk = wanted[at : at + _VERSIONS_AT_ONCE]
            found = versions(self.conn, _padded(chunk))
            self.versions.update({a: found.get(a, 0) for a in chunk})

    def load(self, aggregate_id: str) -> list[Recorded]:
        self.flush()
        rows = self.conn.execute(
            select(events).where(events.c.aggregate_id == aggregate_id).order_by(events.c.sequence)
        )
        return [_recorded(row._mapping, self.source) for row in rows]

    def append(
        self,
        aggregate_id: str,
        new: Sequence[DomainEvent],
        *,
        expected_version: int,
        time: datetime,
        correlation_id: str,
        causation_id: str | None = None,
    ) -> list[Recorded]:
        actual = self.version(aggregate_id)
        if actual != expected_version:
            raise ConcurrencyConflict(
                f"{aggregate_id} is at version {actual}, not the expected {expected_version}"
            )
        return self._recorded(
            aggregate_id, new, expected_version, time, correlation_id, causation_id
        )

    def append_new(
        self,
        batch: Sequence[tuple[str, Sequence[DomainEvent]]],
        *,
        time: datetime,
        correlation_id: str,
    ) -> list[Recorded]:
        """The first events of many new aggregates, written with the rest at the flush (a bulk
        import): no version read per aggregate; one that already has events raises
        `ConcurrencyConflict` at the flush (the unique sequence), rolling the whole batch back."""
        return [
            item
            for aggregate_id, new in batch
            for item in self._recorded(aggregate_id, new, 0, time, correlation_id, None)
        ]

    def _recorded(
        self,
        aggregate_id: str,
        new: Sequence[DomainEvent],
        expected_version: int,
        time: datetime,
        correlation_id: str,
        causation_id: str | None,
    ) -> list[Recorded]:
        recorded: list[Recorded] = []
        source = self.source
        id_at = ids_under(source, aggregate_id)  # `derive_id(source, aggregate_id, sequence)`
        for sequence, event in enumerate(new, start=expected_version + 1):
            if event.subject_id() != aggregate_id:
                raise ValueError(
                    f"{event.type} belongs to {event.subject_id()}, not {aggregate_id}"
                )
            meta = assembled(  # nine fields an event, four events an alert in safety's replay
                EventMeta,
                {
                    "id": id_at(sequence),
                    "source": source,
                    "time": time,
                    "subject": aggregate_id,
                    "sequence": sequence,
                    "correlation_id": correlation_id,
                    "causation_id": causation_id,
                    "schema_version": event.version,
                    "type": event.type,
                },
            )
            recorded.append(_recorded_tuple(Recorded, (event, meta)))
        self.pending += recorded
        self.versions[aggregate_id] = expected_version + len(recorded)
        return recorded

    def append_caused_by(
        self,
        cause: EventMeta,
        aggregate_id: str,
        new: Sequence[DomainEvent],
        *,
        expected_version: int,
    ) -> list[Recorded]:
        """Append events derived from a consumed event: they take its time (never the wall
        clock, so a replay derives the same events), its correlation id, and it as cause."""
        return self.append(
            aggregate_id,
            new,
            expected_version=expected_version,
            time=cause.time,
            correlation_id=cause.correlation_id,
            causation_id=cause.id,
        )

    def flush(self) -> None:
        """Write the appended events and their outbox rows, one statement each."""
        recorded, self.pending = self.pending, []
        if not recorded:
            return
        if self.outbox:
            rows, boxes = rows_and_messages(recorded)
        else:
            rows, boxes = event_rows(recorded), []
        try:
            _insert_events(self.conn, rows)
        except IntegrityError as exc:
            raise ConcurrencyConflict(
                "another writer appended to one of "
                f"{sorted({r.meta.subject for r in recorded})} first"
            ) from exc
        insert_rows(self.conn, outbox, boxes)


def _insert_events(conn: Connection, rows: list[Row]) -> None:
    """The event rows in one executemany: the tuples as they are where the driver's parameters
    are positional in `COLUMNS` order (SQLite), else as dicts (PostgreSQL's are named)."""
    sql = _positional_insert(conn.dialect)
    if sql is None:
        insert_rows(conn, events, [dict(zip(COLUMNS, row, strict=True)) for row in rows])
    else:
        conn.exec_driver_sql(sql, rows)


@lru_cache(maxsize=8)
def _positional_insert(dialect: Dialect) -> str | None:
    """The events insert as the driver's SQL, if its parameters are positional in `COLUMNS`
    order (None: they are not, the rows go as dicts)."""
    compiled = insert(events).compile(
        dialect=dialect, column_keys=list(COLUMNS), for_executemany=True
    )
    order = getattr(compiled, "positiontup", None)
    if compiled.positional and order is not None and tuple(order) == COLUMNS:
        return str(compiled)
    return None


def _recorded(row: RowMapping, self_source: str) -> Recorded:
    meta = EventMeta(
        id=row["event_id"],
        source=self_source,
        time=datetime.fromisoformat(row["time"]),
        subject=row["aggregate_id"],
        sequence=row["sequence"],
        correlation_id=row["correlation_id"],
        causation_id=row["causation_id"],
        schema_version=row["version"],
        type=row["type"],
    )
    return Recorded(upcast(row["type"], row["version"], json.loads(row["payload"])), meta)
