"""A state digest: equal digests prove two stores (say, live and replayed) hold the same state."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Engine, Table, select

from tianmen_runtime.db import events


@dataclass(frozen=True)
class DigestTable:
    """A table that is part of the derived state; `exclude` drops store-local columns, `rows`
    (a condition) keeps only the rows a replay derives."""

    table: Table
    exclude: frozenset[str] = field(default_factory=frozenset)
    rows: ColumnElement[bool] | None = field(default=None, compare=False)


def state_digest(engine: Engine, tables: Sequence[DigestTable]) -> str:
    """sha256 over every row of the tables, in a canonical order independent of insert order."""
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for spec in tables:
            columns = [c for c in spec.table.columns if c.name not in spec.exclude]
            query = select(*columns)
            rows = conn.execute(query if spec.rows is None else query.where(spec.rows)).all()
            lines = sorted(json.dumps(list(row), default=str, sort_keys=True) for row in rows)
            digest.update(spec.table.name.encode())
            for line in lines:
                digest.update(line.encode())
                digest.update(b"\n")
        conn.rollback()
    return digest.hexdigest()


EVENT_LOG = DigestTable(events, frozenset({"position"}))
"""A service's own event log, in the digest: every event with its id, sequence and payload."""

EVENT_LOG_UNSEQUENCED = DigestTable(events, frozenset({"position", "sequence", "event_id"}))
"""For logs whose per-aggregate order depends on arrival across partitions: the same events,
without the sequence numbers (and the ids derived from them) that arrival order decides."""
