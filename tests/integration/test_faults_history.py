"""A topic holding v1 and v2 events and poison: the consumer upcasts v1, dead-letters the
poison with its reason, and reaches the golden state; a replay from offset 0 reaches it too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Column, Engine, MetaData, String, Table, insert, select
from tianmen_events import EventMeta, encode
from tianmen_events.envelope import Headers
from tianmen_events.registry import EnterpriseRegistered
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.kafka_io import make_producer
from tianmen_runtime.projection import Subscription
from tianmen_runtime.redrive import pending
from tianmen_runtime.replay import replay
from tianmen_runtime.unit_of_work import UnitOfWork

from tests.integration.faults import (
    consume,
    enterprise_registered,
    new_consumer_topics,
    store_for,
)

pytestmark = pytest.mark.integration
metadata = MetaData()
divisions = Table(
    "divisions",
    metadata,
    Column("uscc", String(18), primary_key=True),
    Column("division_code", String(6), nullable=False),
)


def _as_v1(message_value: bytes, headers: Headers, drop: str) -> tuple[bytes, Headers]:
    """The same event as a v1 producer wrote it: no `division_code` (and, for poison, no
    `uscc`, which the v1→v2 upcaster needs)."""
    payload = {
        k: v for k, v in json.loads(message_value).items() if k not in ("division_code", drop)
    }
    old = [(k, b"1" if k == "ce_schemaversion" else v) for k, v in headers]
    return json.dumps(payload, ensure_ascii=False).encode(), old


def _golden_state(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return sorted((row.uscc, row.division_code) for row in conn.execute(select(divisions)))


def test_mixed_versions_reach_the_golden_state_and_poison_is_dead_lettered(
    bootstrap_servers: str, backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    name, source = new_consumer_topics(bootstrap_servers, "history")
    producer = make_producer(bootstrap_servers, name)
    history = [
        ("v2", enterprise_registered(1, "420100")),  # Wuhan, stated
        ("v1", enterprise_registered(2, "429006")),  # Tianmen, read from the USCC
        ("v2", enterprise_registered(3, "429004")),  # Xiantao, stated
        ("v1-poison", enterprise_registered(4, "429005")),  # no USCC: cannot be upcast
        ("v1", enterprise_registered(5, "420100")),
    ]
    for version, (event, meta) in history:
        message = encode(event, meta)
        value, headers = message.value, message.headers
        if version.startswith("v1"):
            value, headers = _as_v1(value, headers, drop="uscc" if "poison" in version else "")
        producer.send(source.name, key=message.key, value=value, headers=headers)
    producer.flush()

    def when_registered(event: EnterpriseRegistered, meta: EventMeta, uow: UnitOfWork) -> None:
        assert isinstance(event, EnterpriseRegistered)
        uow.conn.execute(
            insert(divisions).values(uscc=event.uscc, division_code=event.division_code)
        )

    subscription = Subscription(
        name,
        "/tianmen/faults",
        (source.name,),
        EventHandlers().on(EnterpriseRegistered, when_registered),
    )
    live = store_for(backend, request, tmp_path / "live", metadata)
    assert consume(live, subscription, producer, bootstrap_servers, len(history)) == len(history)

    golden = sorted(
        (event.uscc, event.division_code)
        for version, (event, _) in history
        if "poison" not in version
    )
    assert _golden_state(live) == golden
    assert pending(bootstrap_servers, name) == 1
    replayed = store_for(backend, request, tmp_path / "replayed", metadata)
    outcomes = replay(replayed, subscription, bootstrap_servers).outcomes
    assert outcomes == {"applied": 4, "dead_lettered": 1}
    assert _golden_state(replayed) == golden
    producer.close()
