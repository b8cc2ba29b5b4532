"""A store being rebuilt from the log trades durability for speed while the rebuild runs.

A replay's store is scratch until the replay ends: a crash halfway loses nothing the log does
not still hold, and the answer is to replay again. So while it runs, SQLite does not sync to
disk (`synchronous=OFF`), keeps its rollback journal in memory (a poison record still rolls
back its batch) and a large page cache; PostgreSQL commits without waiting for the WAL flush
(`synchronous_commit=off`: never corrupt, at worst the last commits are lost). When the rebuild
ends the store is synced and gets its usual settings back (SQLite's WAL) for what uses it next.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

SQLITE_CACHE_KIB = 256 * 1024


@contextmanager
def bulk_load(engine: Engine) -> Iterator[None]:
    """Connections made inside the block load in bulk; the pool is emptied on both sides."""
    backend = engine.dialect.name
    if backend not in ("sqlite", "postgresql"):
        yield
        return
    listener = _sqlite_bulk if backend == "sqlite" else _postgresql_bulk
    engine.dispose()
    event.listen(engine, "connect", listener)
    try:
        yield
    finally:
        event.remove(engine, "connect", listener)
        engine.dispose()
        if backend == "sqlite":
            _sqlite_durable(engine)


def _sqlite_bulk(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=MEMORY")
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def _postgresql_bulk(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("SET synchronous_commit = off")
    cursor.close()
    dbapi_connection.commit()


def _sqlite_durable(engine: Engine) -> None:
    """What the bulk load wrote reaches the disk; the engine's own connect hook puts every
    new connection back in WAL mode."""
    database = engine.url.database
    if not database or database == ":memory:":
        return
    descriptor = os.open(database, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
