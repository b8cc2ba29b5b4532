"""The runtime's own tables (event store, outbox, processed events) and the engine factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Engine,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import make_url

metadata = MetaData()
LOCK_TIMEOUT_S = 5.0
"""How long a statement waits on a lock (SQLite's busy timeout, PostgreSQL's lock_timeout)."""
WRITE_INTENT = {"tianmen_write_intent": True}
"""Execution options of a connection whose transaction will write (see `unit_of_work`)."""

events = Table(
    "events",
    metadata,
    Column("position", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False),
    Column("aggregate_id", String(64), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("type", String(128), nullable=False),
    Column("version", Integer, nullable=False),
    Column("topic", String(128), nullable=False),
    Column("time", String(40), nullable=False),
    Column("correlation_id", String(64), nullable=False),
    Column("causation_id", String(64)),
    Column("payload", Text, nullable=False),
    UniqueConstraint("aggregate_id", "sequence", name="uq_events_aggregate_sequence"),
)
"""An event's id is `derive_id(source, aggregate_id, sequence)` (`event_store`): unique with its
place, which the unique `(aggregate_id, sequence)` keeps, so the id needs no index of its own
(nothing looks an event up by it; its random keys cost half of a row's insert)."""

outbox = Table(
    "outbox",
    metadata,
    Column("position", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("topic", String(128), nullable=False),
    Column("key", LargeBinary, nullable=False),
    Column("value", LargeBinary, nullable=False),
    Column("headers", Text, nullable=False),
    Column("published", Boolean, nullable=False, default=False, index=True),
)

processed_events = Table(
    "processed_events",
    metadata,
    Column("consumer", String(64), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("topic", String(128), nullable=False),
    Column("partition", Integer, nullable=False),
    Column("offset", Integer, nullable=False),
    Index("ix_processed_events_window", "consumer", "topic", "partition", "offset"),
)
"""Ids of the events a consumer applied at its latest offsets (a bounded window per partition):
what catches the relay's duplicates, published again at a new offset (see `tracking`)."""

consumer_offsets = Table(
    "consumer_offsets",
    metadata,
    Column("consumer", String(64), primary_key=True),
    Column("topic", String(128), primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("offset", BigInteger, nullable=False),
)
"""The highest offset a consumer applied per partition, written in the projection's transaction:
what makes a redelivered record (same offset) a no-op however old it is (see `tracking`)."""

consumer_lag = Table(
    "consumer_lag",
    metadata,
    Column("consumer", String(64), primary_key=True),
    Column("topic", String(128), primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("lag", BigInteger, nullable=False),
    Column("measured_at", String(32), nullable=False),
)
"""Each partition's lag behind the broker's end offset, as its worker last measured it (ISO UTC
time): how an API process that runs no consumer tells how current its reads are (`freshness`)."""


def make_engine(
    url: str, service_metadata: MetaData | None = None, *, create_tables: bool = True
) -> Engine:
    """An engine (with every table created unless told not to: in production Alembic
    migrations own the schema); SQLite gets WAL and write-intent transactions."""
    parsed = make_url(url)
    # A locked or stopped store fails a request within LOCK_TIMEOUT_S, inside the HTTP
    # deadlines (docs/decisions.md, timeouts); pre-ping drops connections of a restarted server.
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": LOCK_TIMEOUT_S, "check_same_thread": False}
    elif parsed.get_backend_name() == "postgresql":
        kwargs["connect_args"] = {
            "connect_timeout": 3,
            "options": f"-c lock_timeout={int(LOCK_TIMEOUT_S * 1000)}",
        }
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        _sqlite_write_transactions(engine)
    if create_tables:
        metadata.create_all(engine)
        if service_metadata is not None:
            service_metadata.create_all(engine)
    return engine


def _sqlite_write_transactions(engine: Engine) -> None:
    # pysqlite's deferred transactions fail at once with "database is locked" when two
    # connections that have read upgrade to write; a transaction that will write begins
    # IMMEDIATE and so waits on the busy timeout instead (SQLAlchemy's recipe for SQLite).
    # Readers stay deferred: in WAL mode they neither wait for writers nor block them.
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        write = conn.get_execution_options().get("tianmen_write_intent", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
