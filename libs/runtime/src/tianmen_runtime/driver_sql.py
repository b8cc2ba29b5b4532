"""Statements of the hot paths handed straight to the driver, built once per shape.

SQLAlchemy processes every parameter of every row of an executemany, and compiles a statement
whose shape changes per transaction; on a consumer's hot paths that cost more than the database
work. These build the SQL once (per dialect and shape) and pass rows as the driver takes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Connection,
    Dialect,
    String,
    Table,
    bindparam,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Compiled
from sqlalchemy.sql.dml import Insert, UpdateBase
from sqlalchemy.sql.elements import BindParameter

from tianmen_runtime.db import events


@contextmanager
def planned_each_time(conn: Connection) -> Iterator[Connection]:
    """Statements run on `conn` inside are planned by PostgreSQL each time, with their
    parameters at hand, never from a cached generic plan. psycopg prepares a statement at its
    fifth run, and the generic plan is made from the table's size then: a table a fresh store
    fills as it goes (the guard's ids, the machines' identities) is nearly empty, and its
    plan for `IN (SELECT unnest(:ids))` may be a nested loop that scans the table once per id
    (265 ms a read of 500 ids at 16,000 rows, against ~1 ms planned with the ids and the
    table's size at hand). For reads run once a transaction: planning costs ~0.1-0.3 ms."""
    if conn.dialect.name != "postgresql":
        yield conn
        return
    driver: Any = conn.connection.driver_connection
    threshold = driver.prepare_threshold
    driver.prepare_threshold = None  # psycopg: never prepare, an unnamed statement each time
    try:
        yield conn
    finally:
        driver.prepare_threshold = threshold


def versions(conn: Connection, aggregate_ids: Sequence[str]) -> dict[str, int]:
    """The highest sequence of each aggregate that has events."""
    sql, order = _driver_versions(conn.dialect, len(aggregate_ids))
    params = _driver_params(order, [{f"a{n}": a for n, a in enumerate(aggregate_ids)}])[0]
    return {row[0]: int(row[1]) for row in conn.exec_driver_sql(sql, params) if row[1] is not None}


@lru_cache(maxsize=256)
def _driver_versions(dialect: Dialect, count: int) -> tuple[str, tuple[str, ...] | None]:
    """Each of `count` aggregates' highest sequence, one index look-up each (a GROUP BY
    would read every event of the aggregate: the cost would grow with its history), as the
    driver's SQL: built once per size, since a statement per transaction costs more than it.
    The branches are compiled once each and joined: every size shares them (compiling a
    whole union for each of the padded sizes up to 100 cost a replay ~70 ms, 227 branches)."""
    branches = [_version_branch(dialect, n) for n in range(count)]
    sql = " UNION ALL ".join(text for text, _ in branches)
    if any(order is None for _, order in branches):
        return sql, None
    return sql, tuple(name for _, order in branches for name in order or ())


@lru_cache(maxsize=128)
def _version_branch(dialect: Dialect, n: int) -> tuple[str, tuple[str, ...] | None]:
    """The `n`th aggregate's branch of `_driver_versions`, its parameter `a{n}`."""
    branch = select(
        bindparam(f"a{n}", type_=String).label("aggregate_id"),
        select(func.max(events.c.sequence))
        .where(events.c.aggregate_id == bindparam(f"a{n}", type_=String))
        .scalar_subquery(),
    )
    return _driver_sql(branch.compile(dialect=dialect))


def _driver_sql(compiled: Compiled) -> tuple[str, tuple[str, ...] | None]:
    order = getattr(compiled, "positiontup", None)
    positional = getattr(compiled, "positional", False)
    return str(compiled), tuple(order) if positional and order is not None else None


def _driver_params(
    order: tuple[str, ...] | None, rows: Sequence[Mapping[str, object]]
) -> list[Any]:
    """Rows as the driver takes them: dicts for named parameters, else tuples in order."""
    if order is None:
        return list(rows)
    values = itemgetter(*order)
    one = len(order) == 1  # itemgetter of one key gives the value, not a tuple
    return [(values(row),) if one else values(row) for row in rows]


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, object]]) -> None:
    """Insert `rows` (all with the same keys, values as the driver takes them) in one
    executemany handed straight to the driver: on the hot paths SQLAlchemy's processing of
    each row's parameters cost more than the insert itself."""
    if not rows:
        return
    sql, order = _driver_insert(conn.dialect, table, tuple(rows[0]))
    conn.exec_driver_sql(sql, _driver_params(order, rows))


@lru_cache(maxsize=64)
def _driver_insert(
    dialect: Dialect, table: Table, keys: tuple[str, ...]
) -> tuple[str, tuple[str, ...] | None]:
    """The insert as the driver's SQL, and the order of its positional parameters (None
    when the driver's parameters are named)."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys), for_executemany=True)
    return _driver_sql(compiled)


def execute_rows(
    conn: Connection, statement: UpdateBase, rows: Sequence[Mapping[str, object]]
) -> None:
    """Run `statement` (built once, e.g. an upsert; every row with the same keys) on `rows` in
    one executemany handed straight to the driver, each value bound by its parameter's type
    exactly as Core would bind it (a UTC datetime stored as Core stores it)."""
    if not rows:
        return
    sql, order, processors = _driver_statement(conn.dialect, statement, tuple(rows[0]))
    if order is not None:
        conn.exec_driver_sql(sql, _bound_in_order(order, processors, rows))
        return
    if processors:
        rows = [_bound(row, processors) for row in rows]
    conn.exec_driver_sql(sql, list(rows))


def _bound_in_order(
    order: tuple[str, ...], processors: Mapping[str, Any], rows: Sequence[Mapping[str, object]]
) -> list[tuple[object, ...]]:
    """Positional rows, built a column at a time: each parameter's values read (and bound by
    its processor, if any) in one pass, the rows zipped from them; per row and value in Python
    it cost as much as the executemany."""
    columns = []
    for name in order:
        values = [row[name] for row in rows]
        process = processors.get(name)
        columns.append(values if process is None else list(map(process, values)))
    return list(zip(*columns, strict=True))


def _bound(row: Mapping[str, object], processors: Mapping[str, Any]) -> dict[str, object]:
    bound = dict(row)
    for name, process in processors.items():
        bound[name] = process(bound[name])
    return bound


@lru_cache(maxsize=64)
def _driver_statement(
    dialect: Dialect, statement: UpdateBase, keys: tuple[str, ...]
) -> tuple[str, tuple[str, ...] | None, dict[str, Any]]:
    compiled = statement.compile(dialect=dialect, column_keys=list(keys), for_executemany=True)
    sql, order = _driver_sql(compiled)
    binds: Mapping[str, BindParameter[Any]] = getattr(compiled, "binds", {})
    processors = {
        name: process
        for name, bind in binds.items()
        if name in keys
        and (process := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
    }
    return sql, order, processors


def execute_columns(
    conn: Connection, statement: UpdateBase, rows: Sequence[Mapping[str, object]]
) -> None:
    """`execute_rows`, but on PostgreSQL in one statement whose parameters are the rows'
    columns, one array each (`INSERT ... SELECT * FROM unnest(...)`): an executemany there
    runs the insert once per row on the server (a Bind and an Execute each, pipelined), which
    cost the server as much CPU as the client's whole report path. The arrays go in the binary
    format (`%b`): psycopg quotes each element of a text array with two regular expressions,
    twice the client's CPU. Each value is bound as `execute_rows` binds it; the rows are
    inserted in their order. Elsewhere `execute_rows`.
    For an INSERT whose VALUES are exactly the rows' keys (an upsert's key must not repeat)."""
    if not isinstance(statement, Insert):  # on every backend, so SQLite cannot hide a misuse
        raise ValueError(f"not a one-row INSERT: {type(statement).__name__}")
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        execute_rows(conn, statement, rows)
        return
    sql, order, processors = _unnest_statement(conn.dialect, statement, tuple(rows[0]))
    columns = {}
    for name in order:
        values = [row[name] for row in rows]
        process = processors.get(name)
        columns[name] = values if process is None else list(map(process, values))
    conn.exec_driver_sql(sql, columns)


def _as_float(value: Any) -> Any:
    """An int in a float column as the float the server would make of it: the driver dumps a
    list of one Python type only."""
    return value if value is None or type(value) is float else float(value)


_VALUES = re.compile(
    r"^(INSERT INTO [^(]+\([^()]*\)) VALUES \((.*?)\)( ON CONFLICT .*)?$", re.DOTALL
)
_NAMED = re.compile(r"%\((\w+)\)s")


@lru_cache(maxsize=64)
def _unnest_statement(
    dialect: Dialect, statement: UpdateBase, keys: tuple[str, ...]
) -> tuple[str, tuple[str, ...], dict[str, Any]]:
    """The insert with its VALUES row replaced by its parameters' arrays unnested (each cast
    to an array of its column's type), the parameters' order, and how each is bound."""
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    found = _VALUES.match(str(compiled))
    if found is None:
        raise ValueError(f"not a one-row INSERT: {compiled}")
    head, values, tail = found.groups()
    order = tuple(_NAMED.findall(values))
    if sorted(order) != sorted(keys):
        raise ValueError(f"the rows' keys {keys} are not the insert's values ({values})")
    binds: Mapping[str, BindParameter[Any]] = getattr(compiled, "binds", {})
    types = {name: binds[name].type for name in order}
    arrays = ", ".join(f"%({n})b::{t.compile(dialect=dialect)}[]" for n, t in types.items())
    processors = {}
    for name, kind in types.items():
        process = kind.dialect_impl(dialect).bind_processor(dialect)
        if process is None and _python_type(kind) is float:
            process = _as_float
        if process is not None:
            processors[name] = process
    sql = f"{head} SELECT * FROM unnest({arrays}){tail or ''}"  # noqa: S608 (compiled, ours)
    return sql, order, processors


def _python_type(kind: Any) -> type | None:
    try:
        return kind.python_type  # type: ignore[no-any-return]
    except NotImplementedError:
        return None
