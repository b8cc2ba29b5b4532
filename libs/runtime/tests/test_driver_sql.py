"""`execute_rows` hands an executemany to the driver and stores exactly what Core would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    MetaData,
    String,
    Table,
    TypeDecorator,
    insert,
    select,
    text,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Dialect
from tianmen_runtime.db import make_engine
from tianmen_runtime.driver_sql import execute_rows

metadata = MetaData()


class Utc(TypeDecorator[datetime]):
    """Two layers of binding: this one's, then the dialect's DATETIME text."""

    impl, cache_ok = DateTime, True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value and value.astimezone(UTC).replace(tzinfo=None)


states = Table(
    "states",
    metadata,
    Column("key", String(16), primary_key=True),
    Column("at", Utc),
    Column("level", Float),
    Column("on", Boolean),
)
UPSERT = sqlite.insert(states)
UPSERT = UPSERT.on_conflict_do_update(
    index_elements=[states.c.key], set_={"at": UPSERT.excluded.at, "level": UPSERT.excluded.level}
)
BEIJING = timezone(timedelta(hours=8))


def _raw(path: Path, rows: list[dict[str, object]], *, driver: bool) -> list[tuple[object, ...]]:
    engine = make_engine(f"sqlite:///{path}", metadata)
    with engine.begin() as conn:
        if driver:
            execute_rows(conn, UPSERT, rows)
        else:
            conn.execute(insert(states), rows)
    with engine.connect() as conn:
        return list(conn.execute(text('SELECT key, at, level, "on" FROM states ORDER BY key')))


def test_rows_are_stored_byte_for_byte_as_core_stores_them(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [
        {"key": "a", "at": datetime(2026, 5, 12, 8, tzinfo=UTC), "level": 50.0, "on": True},
        {"key": "b", "at": datetime(2026, 5, 12, 16, 0, 1, 5, BEIJING), "level": None, "on": False},
        {"key": "c", "at": None, "level": 1.5, "on": None},
    ]
    assert _raw(tmp_path / "d.db", rows, driver=True) == _raw(tmp_path / "c.db", rows, driver=False)


def test_an_upsert_updates_the_rows_it_finds(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'u.db'}", metadata)
    first = datetime(2026, 5, 12, 8, tzinfo=UTC)
    with engine.begin() as conn:
        execute_rows(conn, UPSERT, [{"key": "a", "at": first, "level": 1.0, "on": True}])
        later = first + timedelta(hours=1)
        execute_rows(conn, UPSERT, [{"key": "a", "at": later, "level": 2.0, "on": True}])
    with engine.connect() as conn:
        [(at, level)] = conn.execute(select(states.c.at, states.c.level)).all()
    assert (at, level) == (datetime(2026, 5, 12, 9), 2.0)
