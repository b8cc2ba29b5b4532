"""`column IN (ids)` with the ids as one parameter, for statements built once per dialect: a
JSON array SQLite unpacks (`json_each`), an array PostgreSQL unnests as a semi-join (an index
look-up or a hash of the ids whatever plan it caches; `= ANY` of a parameter scanned the
array linearly for each row a generic plan read: decision 101).
SQLAlchemy expands an IN list into a parameter per id, and binds and compiles each: for the
hundreds of machines of a consumer's transaction that cost more than the query itself."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from typing import Any

from sqlalchemy import ColumnElement, String, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql import Select

DIALECTS = ("postgresql", "sqlite")


def among(column: ColumnElement[Any], dialect: str) -> ColumnElement[bool]:
    """`column` is one of the `ids` parameter (`ids_for`)."""
    if dialect == "postgresql":
        return column.in_(select(func.unnest(bindparam("ids", type_=ARRAY(String)))))
    ids = func.json_each(bindparam("ids", type_=String)).table_valued("value")
    return column.in_(select(ids.c.value))


def ids_for(dialect: str, ids: Collection[str]) -> dict[str, object]:
    return {"ids": sorted(ids) if dialect == "postgresql" else json.dumps(sorted(ids))}


def per_dialect(build: Callable[[str], Select[Any]]) -> dict[str, Select[Any]]:
    return {dialect: build(dialect) for dialect in DIALECTS}
