"""Telemetry's `terminal_binds` takes an explicit unbind (no holder: `enterprise_id` NULL) from
`telemetry_0010`; the binds kept before are unchanged, and a downgrade drops only the unbinds."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from tianmen_runtime import schema
from tianmen_runtime.db import make_engine
from tianmen_telemetry.adapters.orm import terminal_binds
from tianmen_telemetry.bootstrap import build

BOUND = datetime(2026, 5, 1, tzinfo=UTC)
BIND = {"terminal_id": "13800000001", "event_id": "b1", "machine_id": "m1", "bound_at": BOUND}
UNBIND: dict[str, Any] = {**BIND, "event_id": "u1", "enterprise_id": None}


def test_the_binds_kept_before_stay_and_an_unbind_is_kept_after_the_upgrade(
    empty_store: str,
) -> None:
    service = build()
    engine = make_engine(empty_store, create_tables=False)
    with schema.alembic_config(engine, "telemetry", service.metadata) as config:
        command.upgrade(config, "telemetry@telemetry_0009")
    with engine.begin() as conn:
        conn.execute(insert(terminal_binds), [{**BIND, "enterprise_id": "e1"}])
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(terminal_binds), [UNBIND])  # not before it
    schema.upgrade(engine, "telemetry", service.metadata)
    with engine.begin() as conn:
        conn.execute(insert(terminal_binds), [UNBIND])
    with engine.connect() as conn:
        kept = conn.execute(select(terminal_binds).order_by(terminal_binds.c.event_id)).all()
    assert [(r.event_id, r.enterprise_id, r.bound_at) for r in kept] == [
        ("b1", "e1", BOUND),
        ("u1", None, BOUND),
    ]
    with schema.alembic_config(engine, "telemetry", service.metadata) as config:
        command.downgrade(config, "telemetry@telemetry_0009")
    with engine.connect() as conn:
        assert list(conn.execute(select(terminal_binds.c.event_id)).scalars()) == ["b1"]
