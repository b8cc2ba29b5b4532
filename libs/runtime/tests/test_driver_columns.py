"""`execute_columns` stores exactly what `execute_rows` (and Core) store, on every backend: on
PostgreSQL the rows go as one array a column (`unnest`), elsewhere as an executemany."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert
from tianmen_runtime.db import make_engine
from tianmen_runtime.driver_sql import execute_columns, execute_rows

from .conftest import StoreUrl
from .test_driver_sql import BEIJING, Utc  # a bind processor of our own

metadata = MetaData()
states = Table(
    "column_states",
    metadata,
    Column("key", String(16), primary_key=True),
    Column("at", Utc),
    Column("level", Float),
    Column("on", Boolean),
    Column("count", Integer, nullable=False),
)
ROWS: list[dict[str, Any]] = [
    {"key": "b", "at": datetime(2026, 5, 12, 8, tzinfo=UTC), "level": 50, "on": True, "count": 1},
    {
        "key": "a",
        "at": datetime(2026, 5, 12, 16, 0, 1, 5, BEIJING),
        "level": 0.1,
        "on": None,
        "count": 2**31 - 1,
    },
    {"key": 'c"{,}\\ \u6c34', "at": None, "level": None, "on": False, "count": 0},
]
NO_LEVELS = [row | {"level": None, "on": None} for row in ROWS]  # a column of nulls only


def _upsert(engine: Engine) -> Insert:
    if engine.dialect.name == "postgresql":
        pg = postgresql.insert(states)
        return pg.on_conflict_do_update(
            index_elements=[states.c.key], set_={"at": pg.excluded.at, "level": pg.excluded.level}
        )
    lite = sqlite.insert(states)
    return lite.on_conflict_do_update(
        index_elements=[states.c.key], set_={"at": lite.excluded.at, "level": lite.excluded.level}
    )


def _stored(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(select(states).order_by(states.c.key))]


@pytest.mark.parametrize("rows", [ROWS, NO_LEVELS])
@pytest.mark.parametrize("write", [execute_columns, execute_rows])
def test_rows_are_stored_as_core_stores_them(
    store_url: StoreUrl, write: Any, rows: list[dict[str, Any]]
) -> None:
    driver, core = (make_engine(store_url(name), metadata) for name in ("driver", "core"))
    with driver.begin() as conn:
        write(conn, _upsert(driver), rows)
    with core.begin() as conn:
        conn.execute(insert(states), rows)
    assert _stored(driver) == _stored(core)
    assert len(_stored(driver)) == len(rows)


def test_an_upsert_of_columns_updates_the_rows_it_finds(store_url: StoreUrl) -> None:
    engine = make_engine(store_url("upsert"), metadata)
    later = datetime(2026, 5, 13, tzinfo=UTC)
    with engine.begin() as conn:
        execute_columns(conn, _upsert(engine), ROWS)
        execute_columns(conn, _upsert(engine), [ROWS[0] | {"at": later, "level": 2.5}])
    stored = _stored(engine)
    assert stored[1][1:3] == (later.replace(tzinfo=None), 2.5)
    assert len(stored) == 3


def test_rows_keep_their_order_and_a_repeated_key_is_kept_once(store_url: StoreUrl) -> None:
    engine = make_engine(store_url("order"), metadata)
    keep = (postgresql if engine.dialect.name == "postgresql" else sqlite).insert(states)
    rows = [ROWS[2], ROWS[0], ROWS[2] | {"count": 9}]
    with engine.begin() as conn:
        execute_columns(conn, keep.on_conflict_do_nothing(), rows)
    assert [row[0] for row in _stored(engine)] == ["b", ROWS[2]["key"]]
    assert _stored(engine)[1][4] == 0  # the first of the key's rows, as an executemany keeps


def test_a_statement_other_than_an_insert_is_refused(store_url: StoreUrl) -> None:
    engine = make_engine(store_url("refused"), metadata)
    with engine.begin() as conn:
        conn.execute(insert(states), [ROWS[1]])
    with engine.begin() as conn, pytest.raises(ValueError, match="not a one-row INSERT"):
        execute_columns(conn, update(states), [{"key": "a", "count": 1}])
    assert _stored(engine)[0][4] == ROWS[1]["count"]  # nothing changed, on every backend
