"""The relay killed between publish and mark: it publishes the batch again on restart, and the
consumer drops the duplicates (the processed-event row), so each event is applied once."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import Column, Engine, MetaData, String, Table, func, insert, select, update
from tianmen_events import EventMeta
from tianmen_events.registry import EnterpriseRegistered
from tianmen_events.topics import Topic
from tianmen_runtime import outbox_relay
from tianmen_runtime.db import outbox
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.kafka_io import ensure_topics, make_producer
from tianmen_runtime.outbox_relay import OutboxRelay
from tianmen_runtime.projection import Subscription, apply_batch
from tianmen_runtime.unit_of_work import UnitOfWork, unit_of_work

from tests.integration.faults import enterprise_registered, read_topic, store_for

pytestmark = pytest.mark.integration
metadata = MetaData()
applied = Table("relay_applied", metadata, Column("event_id", String(64), primary_key=True))
EVENTS = 3


class Killed(Exception):
    """The relay process dying right after the broker acknowledged the batch."""


def _record_events(engine: Engine, topic: str) -> None:
    with unit_of_work(engine, "/tianmen/registry") as uow:
        for number in range(EVENTS):
            event, meta = enterprise_registered(number)
            uow.events.append(
                event.enterprise_id,
                [event],
                expected_version=0,
                time=meta.time,
                correlation_id=meta.correlation_id,
            )
        uow.events.flush()  # appended events are written at the flush; then re-address them
        uow.conn.execute(update(outbox).values(topic=topic))  # a topic of this test's own


def test_a_batch_republished_after_a_relay_crash_is_applied_once(
    bootstrap_servers: str,
    backend: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    topic = Topic(f"faults.relay-{uuid.uuid4().hex[:8]}", "enterprise_id", partitions=2)
    ensure_topics(bootstrap_servers, [topic])
    engine = store_for(backend, request, tmp_path, metadata)
    _record_events(engine, topic.name)
    producer = make_producer(bootstrap_servers, "faults-relay")

    def killed(*_: object) -> None:
        raise Killed

    monkeypatch.setattr(outbox_relay, "update", killed)
    with pytest.raises(Killed):
        OutboxRelay(engine, producer).publish_pending()
    monkeypatch.undo()
    assert OutboxRelay(engine, producer).publish_pending() == EVENTS  # the restarted relay
    assert OutboxRelay(engine, producer).publish_pending() == 0
    producer.close()

    records = read_topic(bootstrap_servers, topic.name)
    assert len(records) == 2 * EVENTS  # each event on the topic twice

    def when_registered(event: EnterpriseRegistered, meta: EventMeta, uow: UnitOfWork) -> None:
        uow.conn.execute(insert(applied).values(event_id=meta.id))

    subscription = Subscription(
        "faults-relay",
        "/tianmen/faults",
        (topic.name,),
        EventHandlers().on(EnterpriseRegistered, when_registered),
    )
    outcomes = apply_batch(engine, subscription, records)
    assert sorted(outcomes, key=str) == ["applied"] * EVENTS + ["duplicate"] * EVENTS
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(applied)).scalar_one() == EVENTS
