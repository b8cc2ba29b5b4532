"""`UtcDateTime` stores on SQLite exactly the text SQLAlchemy's own `DateTime` stores for the
instant in UTC (what it stored before its bind got a shortcut), through Core and through the
hot paths' `execute_rows`, and gives the same instant back, read as SQLAlchemy's own `DateTime`
reads that text (what it read before its result got a shortcut)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, DateTime, Engine, Integer, MetaData, Table, insert, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import StatementError
from tianmen_runtime.db import make_engine
from tianmen_runtime.driver_sql import execute_rows
from tianmen_telemetry.adapters.orm import UtcDateTime

metadata = MetaData()
instants = Table(
    "instants",
    metadata,
    Column("n", Integer, primary_key=True),
    Column("reference", DateTime, nullable=False),  # SQLAlchemy's text for the naive UTC time
    Column("core", UtcDateTime, nullable=False),
    Column("driver", UtcDateTime, nullable=False),
)
_UPSERT = sqlite.insert(instants).on_conflict_do_nothing()

offsets = st.integers(min_value=-1439, max_value=1439).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
aware = st.builds(
    lambda naive, zone: naive.replace(tzinfo=zone),
    st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31)),
    offsets,
)


def _engine(folder: Path) -> Engine:
    engine = make_engine(f"sqlite:///{folder / 'instants.db'}")
    metadata.create_all(engine)
    return engine


def _stored(engine: Engine, values: list[datetime]) -> list[tuple[str, str, str]]:
    """Each value stored twice: by Core (rows 0..n-1), by `execute_rows` (rows n..2n-1)."""
    rows = [
        {"reference": v.astimezone(UTC).replace(tzinfo=None), "core": v, "driver": v}
        for v in values
    ]
    with engine.begin() as conn:
        conn.execute(instants.delete())
        conn.execute(insert(instants), [dict(r, n=n) for n, r in enumerate(rows)])
        execute_rows(conn, _UPSERT, [dict(r, n=n + len(rows)) for n, r in enumerate(rows)])
        raw = conn.exec_driver_sql("SELECT reference, core, driver FROM instants ORDER BY n")
        stored = [(row[0], row[1], row[2]) for row in raw]
        back = conn.execute(select(instants.c.driver).order_by(instants.c.n)).scalars().all()
    assert back == values + values  # the same instants, given back in UTC
    assert all(b.tzinfo is UTC for b in back)
    return stored


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(aware, min_size=1, max_size=20))
@example([datetime(2026, 5, 11, 18, 0, tzinfo=timezone(timedelta(hours=8)))])
@example([datetime(2026, 5, 11, 0, 0, 0, 1, tzinfo=UTC)])
@example(  # one instant in two zones, and again: the cached text is the instant's
    [
        datetime(2026, 5, 11, 18, 0, tzinfo=timezone(timedelta(hours=8))),
        datetime(2026, 5, 11, 10, 0, tzinfo=UTC),
        datetime(2026, 5, 11, 18, 0, tzinfo=timezone(timedelta(hours=8))),
    ]
)
@example([datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-5)))])
def test_the_stored_text_is_sqlalchemys(
    tmp_path_factory: pytest.TempPathFactory, values: list[datetime]
) -> None:
    rows = _stored(_engine(tmp_path_factory.mktemp("instants")), values)
    assert {type(cell) for row in rows for cell in row} == {str}
    for reference, core, driver in rows:
        assert core == reference
        assert driver == reference


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(aware, min_size=1, max_size=20))
@example([datetime(2026, 5, 11, 10, 0, tzinfo=UTC)])
def test_an_instant_is_read_back_as_sqlalchemys_datetime_reads_it(
    tmp_path_factory: pytest.TempPathFactory, values: list[datetime]
) -> None:
    engine = _engine(tmp_path_factory.mktemp("instants"))
    texts = [reference for reference, _, _ in _stored(engine, values)]
    texts += ["2026-05-11 10:00:00", "2026-05-11 10:00:00.5"]  # another writer's, no micros
    with engine.connect() as conn:
        rows = [{"n": n, "text": text} for n, text in enumerate(texts)]
        conn.exec_driver_sql("DELETE FROM instants")
        conn.exec_driver_sql(
            "INSERT INTO instants (n, reference, core, driver) VALUES (?, ?, ?, ?)",
            [(row["n"], row["text"], row["text"], row["text"]) for row in rows],
        )
        read = conn.execute(select(instants).order_by(instants.c.n)).all()
    for row in read:
        expected = row.reference.replace(tzinfo=UTC)  # SQLAlchemy's DateTime, then UTC
        assert row.core == expected and row.driver == expected
        assert row.core.tzinfo is UTC and type(row.core) is datetime


def test_a_null_instant_is_read_back_as_none(tmp_path: Path) -> None:
    processor = (
        UtcDateTime().dialect_impl(sqlite.dialect()).result_processor(sqlite.dialect(), None)
    )
    assert processor is not None and processor(None) is None


def test_a_naive_datetime_is_refused(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    naive = datetime(2026, 1, 1)
    with engine.begin() as conn:  # its aware twin bound (and its text cached) first
        aware = naive.replace(tzinfo=UTC)
        conn.execute(insert(instants).values(n=0, reference=naive, core=aware, driver=aware))
        conn.execute(instants.delete())
    with pytest.raises(StatementError, match="naive datetime"), engine.begin() as conn:
        conn.execute(insert(instants).values(n=1, reference=naive, core=naive, driver=naive))
    with engine.connect() as conn:
        assert conn.execute(select(instants.c.n)).all() == []
