"""Reading ahead for a batch: the rows of many keys in one query per 2,000 (a replay polls
2,000 records, so one query a poll), instead of one look-up per event."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Executable

AT_ONCE = 2000


def rows_for(conn: Connection, query: Executable, keys: Sequence[str]) -> Iterator[Any]:
    """The rows `query` (with an expanding bind parameter `ids`) finds for `keys`."""
    for at in range(0, len(keys), AT_ONCE):
        yield from conn.execute(query, {"ids": list(keys[at : at + AT_ONCE])})
