"""What the event store writes, pinned byte for byte: a change to how it builds rows (ids,
metadata, encoding, statements) must not change what is stored, replayed or published.

The expected values were taken from the store before its per-event cost was cut (h41); a
replay's digest and the relay's messages depend on every one of them.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import Engine, select
from tianmen_events import EventMeta
from tianmen_events.safety import PointsDeducted
from tianmen_runtime.db import events, make_engine, outbox
from tianmen_runtime.identity import Actor, actor
from tianmen_runtime.unit_of_work import unit_of_work

from .conftest import StoreUrl
from .test_event_store import _deducted as deducted

NOW = datetime(2026, 3, 1, 15, 30, tzinfo=UTC)
CAUSE = EventMeta(
    id="cause-1",
    source="/tianmen/telemetry",
    time=datetime(2026, 3, 1, 23, 5, 7, 250_000, tzinfo=timezone(timedelta(hours=8))),
    subject="e2",
    sequence=4,
    correlation_id='c"1\u00e9',
)


def _deducted(enterprise: str, points: int) -> PointsDeducted:
    """A deduction whose violation id is not ASCII (the payload keeps it as UTF-8)."""
    plain = deducted(enterprise, points)
    return plain.model_copy(update={"violation_id": f"{plain.violation_id}\u6c34"})


def _write(engine: Engine, *, to_outbox: bool) -> None:
    with unit_of_work(engine, "/tianmen/test", outbox=to_outbox) as uow:
        uow.events.append(
            "e1",
            [_deducted("e1", 5), _deducted("e1", 3)],
            expected_version=0,
            time=NOW,
            correlation_id="corr-1",
        )
        uow.events.append_caused_by(CAUSE, "e2", [_deducted("e2", 7)], expected_version=0)
    token = actor.set(Actor("staff-9", "inspector"))  # a command's events name who gave it
    try:
        with unit_of_work(engine, "/tianmen/test", outbox=to_outbox) as uow:
            uow.events.append(
                "e1", [_deducted("e1", 2)], expected_version=2, time=NOW, correlation_id="corr-2"
            )
    finally:
        actor.reset(token)


def _event_rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(events).order_by(events.c.position))]


def _outbox_rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        query = select(
            outbox.c.event_id, outbox.c.topic, outbox.c.key, outbox.c.value, outbox.c.headers
        ).order_by(outbox.c.position)
        return [tuple(r) for r in conn.execute(query)]


def _digest(rows: list[tuple[object, ...]]) -> str:
    text = json.dumps([[v.hex() if isinstance(v, bytes) else v for v in r] for r in rows])
    return hashlib.sha256(text.encode()).hexdigest()


def test_event_rows_are_the_bytes_they_were(store_url: StoreUrl) -> None:
    engine = make_engine(store_url("store"))
    _write(engine, to_outbox=True)
    rows = _event_rows(engine)
    assert rows[2] == (
        3,
        "e5510f33-4f24-521d-861b-88a709f059f0",
        "e2",
        1,
        "tianmen.safety.points_deducted",
        1,
        "safety.enterprise",
        "2026-03-01T23:05:07.250000+08:00",
        'c"1\u00e9',
        "cause-1",
        '{"enterprise_id":"e2","violation_id":"v7\u6c34","points":7,"balance_after":93,'
        '"cycle_year":2026,"rule_version":"r1"}',
    )
    assert [r[1] for r in rows] == [
        "d4ae3886-3902-58cf-8095-6a6e2b63443c",
        "e60f06ba-64d1-505e-917d-e44ac894ed29",
        "e5510f33-4f24-521d-861b-88a709f059f0",
        "bc4ff02f-e136-5b2f-b280-b976026c6158",
    ]
    assert _digest(rows) == "48080c9bff12299356ac106aeaca0a3af2e67b40ee8b5469fb7912e37e650537"


def test_outbox_rows_are_the_messages_they_were(store_url: StoreUrl) -> None:
    engine = make_engine(store_url("store"))
    _write(engine, to_outbox=True)
    boxes = _outbox_rows(engine)
    assert boxes[3][4] == (
        '[["ce_specversion", "1.0"], ["ce_id", "bc4ff02f-e136-5b2f-b280-b976026c6158"], '
        '["ce_source", "/tianmen/test"], ["ce_type", "tianmen.safety.points_deducted"], '
        '["ce_time", "2026-03-01T15:30:00+00:00"], ["ce_subject", "e1"], ["ce_sequence", "3"], '
        '["ce_correlationid", "corr-2"], ["ce_schemaversion", "1"], '
        '["content-type", "application/json"], ["ce_actor", "staff-9"], '
        '["ce_actorrole", "inspector"]]'
    )
    assert _digest(boxes) == "7cd016fc945a1e9de9dd1fe3693857cc2e15f0d9d1cdd16cff6e5b81270cc974"


def test_a_replay_writes_the_same_event_rows_and_no_outbox(store_url: StoreUrl) -> None:
    engine = make_engine(store_url("store"))
    _write(engine, to_outbox=False)
    assert _digest(_event_rows(engine)) == (
        "48080c9bff12299356ac106aeaca0a3af2e67b40ee8b5469fb7912e37e650537"
    )
    assert _outbox_rows(engine) == []


def test_appended_events_come_back_with_their_full_meta(store_url: StoreUrl) -> None:
    with unit_of_work(make_engine(store_url("store")), "/tianmen/test") as uow:
        (recorded,) = uow.events.append_caused_by(
            CAUSE, "e2", [_deducted("e2", 7)], expected_version=0
        )
    assert recorded.meta == EventMeta(
        id="e5510f33-4f24-521d-861b-88a709f059f0",
        source="/tianmen/test",
        time=CAUSE.time,
        subject="e2",
        sequence=1,
        correlation_id='c"1\u00e9',
        causation_id="cause-1",
        schema_version=1,
        type="tianmen.safety.points_deducted",
    )
    assert recorded.event == _deducted("e2", 7)
