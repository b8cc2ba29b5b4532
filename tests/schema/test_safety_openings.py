"""Safety's `safety_case_openings` starts with the openings already on the store's dockets, so
an alert whose opening is still in flight when the store is upgraded files no second case."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import insert, select
from tianmen_runtime import db, schema
from tianmen_runtime.db import make_engine
from tianmen_safety.adapters.orm import case_openings
from tianmen_safety.bootstrap import build

OPENED = "tianmen.safety.case_opened"


def _event(n: int, type_: str, case_id: str) -> dict[str, object]:
    payload = json.dumps({"case_id": case_id, "enterprise_id": "ent-1"})
    return {
        "event_id": f"ev-{n}",
        "aggregate_id": "docket:ent-1",
        "sequence": n,
        "type": type_,
        "version": 1,
        "topic": "safety.case",
        "time": "2026-01-01T00:00:00+00:00",
        "correlation_id": "c",
        "payload": payload,
    }


def test_upgrade_fills_the_openings_from_the_event_log(empty_store: str) -> None:
    service = build()
    engine = make_engine(empty_store, create_tables=False)
    with schema.alembic_config(engine, "safety", service.metadata) as config:
        command.upgrade(config, "safety@safety_0004")
    with engine.begin() as conn:
        conn.execute(insert(db.events), [_event(1, OPENED, "case-1"), _event(2, OPENED, "case-2")])
        conn.execute(insert(db.events), [_event(3, "tianmen.safety.case_confirmed", "case-3")])
    schema.upgrade(engine, "safety", service.metadata)
    with engine.connect() as conn:
        filed = set(conn.execute(select(case_openings.c.case_id)).scalars())
    assert filed == {"case-1", "case-2"}
