"""Dead letters can be worked: once the cause is fixed, `redrive` applies them exactly once.

A consumer with a handler that fails (the "bug") dead-letters three events on a real broker;
the bug is fixed; redrive applies the three, counts them, and leaves nothing pending. A second
redrive finds nothing; a dead letter that arrives twice is applied once; garbage stays pending.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from kafka import KafkaProducer
from sqlalchemy import Column, Engine, MetaData, String, Table, func, insert, select
from tianmen_events import EventMeta, encode
from tianmen_events.registry import EnterpriseRegistered
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.kafka_io import make_producer
from tianmen_runtime.projection import Subscription
from tianmen_runtime.redrive import pending, redrive
from tianmen_runtime.unit_of_work import UnitOfWork

from tests.integration.faults import (
    consume,
    enterprise_registered,
    new_consumer_topics,
    store_for,
)

pytestmark = pytest.mark.integration
metadata = MetaData()
applied = Table("applied", metadata, Column("event_id", String(64), primary_key=True))


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(applied)).scalar_one())


def test_redrive_applies_fixed_dead_letters_once_and_reports_counts(
    bootstrap_servers: str, backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    name, source = new_consumer_topics(bootstrap_servers, "redrive")
    broken = threading.Event()
    broken.set()

    def when_registered(event: EnterpriseRegistered, meta: EventMeta, uow: UnitOfWork) -> None:
        if broken.is_set():
            raise RuntimeError("handler bug: division unknown")
        uow.conn.execute(insert(applied).values(event_id=meta.id))

    subscription = Subscription(
        name,
        "/tianmen/faults",
        (source.name,),
        EventHandlers().on(EnterpriseRegistered, when_registered),
    )
    engine = store_for(backend, request, tmp_path, metadata)
    producer = make_producer(bootstrap_servers, name)
    events = [enterprise_registered(n) for n in range(3)]
    for event, meta in events:
        message = encode(event, meta)
        producer.send(source.name, key=message.key, value=message.value, headers=message.headers)
    producer.flush()

    seen = consume(engine, subscription, producer, bootstrap_servers, 3)
    assert seen == 3 and _count(engine) == 0
    assert pending(bootstrap_servers, name) == 3

    # the same dead letter twice (a consumer killed after sending it, before committing)
    raw = KafkaProducer(bootstrap_servers=bootstrap_servers, acks="all", enable_idempotence=True)
    first = encode(*events[0])
    copy_headers = [
        *first.headers,
        ("dlq_reason", b"RuntimeError: handler bug"),
        ("dlq_consumer", name.encode()),
        ("dlq_original_topic", source.name.encode()),
        ("dlq_original_partition", b"0"),
        ("dlq_original_offset", b"0"),
    ]
    raw.send(f"{name}.dlq", key=first.key, value=first.value, headers=copy_headers)
    raw.send(f"{name}.dlq", key=b"x", value=b"garbage \x00", headers=[])
    raw.flush()
    raw.close()
    assert pending(bootstrap_servers, name) == 5

    broken.clear()  # the cause is fixed
    result = redrive(engine, subscription, producer, bootstrap_servers)
    assert result.outcomes == {"applied": 3, "duplicate": 1, "still_failing": 1}
    assert _count(engine) == 3
    assert pending(bootstrap_servers, name) == 1  # the garbage, sent back with its reason

    again = redrive(engine, subscription, producer, bootstrap_servers)
    assert again.outcomes == {"still_failing": 1}
    assert _count(engine) == 3
    producer.close()
