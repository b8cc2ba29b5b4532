"""One database transaction: the aggregate's events, the outbox and any projection rows.

Parts of a unit of work that buffer writes (the event store; a service's identity map of state
rows, via `part`) are flushed when the block ends without error, then it commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from sqlalchemy import Connection, Engine

from tianmen_runtime.db import WRITE_INTENT
from tianmen_runtime.event_store import EventStore


class Part(Protocol):
    def flush(self) -> None: ...


P = TypeVar("P", bound=Part)


@dataclass
class UnitOfWork:
    conn: Connection
    events: EventStore
    parts: dict[type, Part] = field(default_factory=dict)

    def part(self, kind: type[P], make: Callable[[Connection], P]) -> P:
        """This transaction's one `kind` (say, the rows its handlers read and write), made on
        first use; its `flush` runs before the commit."""
        found = self.parts.get(kind)
        if found is None:
            found = self.parts[kind] = make(self.conn)
        assert isinstance(found, kind)
        return found

    def flush(self) -> None:
        for part in self.parts.values():
            part.flush()
        self.events.flush()


@contextmanager
def unit_of_work(
    engine: Engine, source: str, *, outbox: bool = True, snapshot: bool = False
) -> Iterator[UnitOfWork]:
    """Commit everything done inside the block, or nothing; `outbox=False` (a replay) keeps
    the events it appends off the outbox. `snapshot`: every read of the block sees the store
    as of its first one (a command deciding from several reads); SQLite's transactions always
    do, PostgreSQL's at REPEATABLE READ (read committed lets a commit land between two reads,
    so a command could see an event neither in flight nor yet in its row). A write that meets
    a row changed since the snapshot fails with a serialization failure, which `run_command`
    decides again, as it does a lost append."""
    with engine.connect() as conn:
        conn.execution_options(**WRITE_INTENT)
        if snapshot and engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            uow = UnitOfWork(conn, EventStore(conn, source, outbox=outbox))
            yield uow
            uow.flush()
