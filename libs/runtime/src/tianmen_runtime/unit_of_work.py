"""One database transaction: the aggregate's events, the outbox and any projection rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from tianmen_runtime.db import WRITE_INTENT
from tianmen_runtime.event_store import EventStore


@dataclass
class UnitOfWork:
    conn: Connection
    events: EventStore


@contextmanager
def unit_of_work(engine: Engine, source: str) -> Iterator[UnitOfWork]:
    """Commit everything done inside the block, or nothing."""
    with engine.connect() as conn:
        conn.execution_options(**WRITE_INTENT)
        with conn.begin():
            yield UnitOfWork(conn, EventStore(conn, source))
