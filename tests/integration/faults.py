"""Helpers for the fault tests: a seeded RNG that says its seed, and a background supervisor.
(Waiting until every consumer group has drained: `tests/integration/drain.py`.)"""

from __future__ import annotations

import os
import random
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord
from sqlalchemy import Engine, MetaData
from tianmen_devkit.supervisor import Suite
from tianmen_events import EventMeta
from tianmen_events.registry import EnterpriseRegistered
from tianmen_events.topics import Topic, dead_letter
from tianmen_runtime.consumer import EventConsumer
from tianmen_runtime.db import make_engine
from tianmen_runtime.group_consumer import make_group_consumer
from tianmen_runtime.kafka_io import ensure_topics
from tianmen_runtime.projection import Subscription

FULL = os.environ.get("TIANMEN_FAULTS") == "full"
"""`make test-faults` sets TIANMEN_FAULTS=full: more rounds, more kills; `make test` runs few."""


def seeded_rng(test: str) -> random.Random:
    """Fault timing is random but reproducible: TIANMEN_FAULT_SEED=<seed> repeats a run."""
    seed = int(os.environ.get("TIANMEN_FAULT_SEED", str(random.SystemRandom().randrange(10**6))))
    print(f"{test}: fault seed {seed} (repeat with TIANMEN_FAULT_SEED={seed})")
    return random.Random(seed)


@contextmanager
def supervising(suite: Suite, every_s: float = 0.3) -> Iterator[None]:
    """What `make run` does in the background: restart any service that died, with backoff."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every_s):
            suite.supervise()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(5)


def store_for(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, metadata: MetaData
) -> Engine:
    """A fresh store of the backend under test, with `metadata`'s tables."""
    if backend == "sqlite":
        return make_engine(f"sqlite:///{tmp_path / 'faults.db'}", metadata)
    create: Callable[[str], str] = request.getfixturevalue("new_postgres_database")
    return make_engine(create("tianmen_faults"), metadata)


def enterprise_registered(
    number: int, division_code: str = "429006"
) -> tuple[EnterpriseRegistered, EventMeta]:
    """A registration event of a new enterprise, with its envelope (time from `number`)."""
    enterprise_id = str(uuid.uuid4())
    event = EnterpriseRegistered(
        enterprise_id=enterprise_id,
        uscc=f"91{division_code}MA{number:07d}X",
        name=f"天门故障测试 {number}",
        division_code=division_code,
        jurisdiction_code="429006",
    )
    meta = EventMeta(
        id=str(uuid.uuid4()),
        source="/tianmen/registry",
        time=datetime(2026, 5, 12, 8, number % 60, tzinfo=UTC),
        subject=enterprise_id,
        sequence=1,
        correlation_id=enterprise_id,
        type=event.type,
        schema_version=event.version,
    )
    return event, meta


def consume(
    engine: Engine, subscription: Subscription, producer: KafkaProducer, bootstrap: str, count: int
) -> int:
    """Run the live consumer loop (group = subscription name) until it has seen `count` records."""
    loop = EventConsumer(
        engine,
        subscription,
        make_group_consumer(bootstrap, subscription.name, subscription.name),
        producer,
    )
    loop.subscribe(threading.Event())  # metadata first, as the service joins (decision 85)
    seen = 0
    try:
        for _ in range(120):
            seen += loop.poll_once(threading.Event(), timeout_ms=500)
            if seen >= count:
                break
    finally:
        loop.consumer.close()
    return seen


def read_topic(bootstrap_servers: str, topic: str) -> list[ConsumerRecord]:
    """Every record on `topic` up to its current end, by partition and offset."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        end = consumer.end_offsets(partitions)
        records: list[ConsumerRecord] = []
        while any(consumer.position(tp) < end[tp] for tp in partitions):
            for batch in consumer.poll(timeout_ms=500).values():
                records += batch
        return sorted(records, key=lambda r: (r.partition, r.offset))
    finally:
        consumer.close()


def new_consumer_topics(bootstrap_servers: str, kind: str) -> tuple[str, Topic]:
    """A consumer name of this test's own, with its source topic and dead-letter topic."""
    name = f"{kind}-{uuid.uuid4().hex[:8]}"
    source = Topic(f"faults.{name}", "enterprise_id", partitions=2)
    ensure_topics(bootstrap_servers, [source, dead_letter(name)])
    return name, source
