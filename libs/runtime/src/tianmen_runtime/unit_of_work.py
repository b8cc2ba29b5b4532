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
def unit_of_work(engine: Engine, source: str, *, outbox: bool = True) -> Iterator[UnitOfWork]:
    """Commit everything done inside the block, or nothing; `outbox=False` (a replay) keeps
    the events it appends off the outbox."""
    with engine.connect() as conn:
        conn.execution_options(**WRITE_INTENT)
        with conn.begin():
            uow = UnitOfWork(conn, EventStore(conn, source, outbox=outbox))
            yield uow
            uow.flush()
