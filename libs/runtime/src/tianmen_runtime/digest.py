"""A state digest: equal digests prove two stores (say, live and replayed) hold the same state."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine, Table, select


@dataclass(frozen=True)
class DigestTable:
    """A table that is part of the derived state; `exclude` drops store-local columns."""

    table: Table
    exclude: frozenset[str] = field(default_factory=frozenset)


def state_digest(engine: Engine, tables: Sequence[DigestTable]) -> str:
    """sha256 over every row of the tables, in a canonical order independent of insert order."""
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for spec in tables:
            columns = [c for c in spec.table.columns if c.name not in spec.exclude]
            rows = conn.execute(select(*columns)).all()
            lines = sorted(json.dumps(list(row), default=str, sort_keys=True) for row in rows)
            digest.update(spec.table.name.encode())
            for line in lines:
                digest.update(line.encode())
                digest.update(b"\n")
        conn.rollback()
    return digest.hexdigest()
