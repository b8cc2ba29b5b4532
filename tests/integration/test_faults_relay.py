"""The relay killed between publish and mark: a real relay process (`python -m tianmen_registry
relay`) is SIGKILLed after the broker acknowledged its batch and before it marked the rows (the
`TIANMEN_FAULT_RELAY_PAUSE_AFTER_PUBLISH` hook holds it there). Restarted, it publishes the batch
again, and the consumer drops the duplicates (the processed-event row): each event applied once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Column, Engine, MetaData, String, Table, func, insert, select, update
from tianmen_devkit.kafka_config import free_ports
from tianmen_events import EventMeta
from tianmen_events.registry import EnterpriseRegistered
from tianmen_events.topics import Topic
from tianmen_runtime.db import outbox
from tianmen_runtime.faults import PAUSE_AFTER_PUBLISH
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.kafka_io import ensure_topics
from tianmen_runtime.projection import Subscription, apply_batch
from tianmen_runtime.unit_of_work import UnitOfWork, unit_of_work

from tests.integration.faults import enterprise_registered, read_topic, store_for
from tests.integration.helpers import env_with, eventually

pytestmark = pytest.mark.integration
metadata = MetaData()
applied = Table("relay_applied", metadata, Column("event_id", String(64), primary_key=True))
EVENTS = 3


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


def _relay(engine: Engine, bootstrap_servers: str, **env: str) -> subprocess.Popen[bytes]:
    """The registry's relay as its own process on `engine`'s store."""
    (port,) = free_ports(1)
    variables = {
        **env_with(bootstrap_servers),
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "HTTP_PORT": str(port),
        **env,
    }
    argv = [sys.executable, "-m", "tianmen_registry", "relay"]
    return subprocess.Popen(argv, env=variables, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _unpublished(engine: Engine) -> int:
    with engine.connect() as conn:
        query = select(func.count()).select_from(outbox).where(outbox.c.published.is_(False))
        return int(conn.execute(query).scalar_one())


def test_a_batch_republished_after_a_relay_process_is_killed_is_applied_once(
    bootstrap_servers: str, backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    topic = Topic(f"faults.relay-{uuid.uuid4().hex[:8]}", "enterprise_id", partitions=2)
    ensure_topics(bootstrap_servers, [topic])
    engine = store_for(backend, request, tmp_path, metadata)
    _record_events(engine, topic.name)

    paused = tmp_path / "published-not-marked"
    relay = _relay(engine, bootstrap_servers, **{PAUSE_AFTER_PUBLISH: str(paused)})
    try:
        eventually(lambda: paused.exists() or relay.poll() is not None, timeout=120, what="publish")
        assert relay.poll() is None, relay.stderr.read().decode()[-2000:] if relay.stderr else ""
        os.kill(relay.pid, signal.SIGKILL)
    finally:
        relay.kill()
        relay.wait(timeout=30)
    assert len(read_topic(bootstrap_servers, topic.name)) == EVENTS  # on the broker...
    assert _unpublished(engine) == EVENTS  # ...and not marked

    restarted = _relay(engine, bootstrap_servers)
    try:
        eventually(lambda: _unpublished(engine) == 0, timeout=120, what="the restarted relay")
    finally:
        restarted.terminate()
        restarted.wait(timeout=30)

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
