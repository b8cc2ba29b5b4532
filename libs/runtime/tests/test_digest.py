"""The state digest: rows outside a table's `rows` condition do not count."""

from __future__ import annotations

from sqlalchemy import Column, Engine, MetaData, String, Table, create_engine, insert
from tianmen_runtime.digest import DigestTable, state_digest

metadata = MetaData()
facts = Table("facts", metadata, Column("id", String, primary_key=True), Column("kind", String))


def _store(*rows: tuple[str, str]) -> Engine:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn:
        for fact_id, kind in rows:
            conn.execute(insert(facts).values(id=fact_id, kind=kind))
    return engine


def test_a_row_the_condition_leaves_out_does_not_change_the_digest() -> None:
    derived = DigestTable(facts, rows=facts.c.kind != "observed")
    plain, observed = _store(("1", "derived")), _store(("1", "derived"), ("2", "observed"))
    assert state_digest(observed, (derived,)) == state_digest(plain, (derived,))
    assert state_digest(observed, (DigestTable(facts),)) != state_digest(plain, (derived,))
