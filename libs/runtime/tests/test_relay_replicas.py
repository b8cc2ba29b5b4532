"""Two relay replicas on one PostgreSQL store, publishing to a real broker."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from kafka import KafkaConsumer, TopicPartition
from sqlalchemy import Engine, func, select
from tianmen_devkit.broker import choose_broker
from tianmen_events.safety import PointsDeducted
from tianmen_events.topics import SAFETY_ENTERPRISE
from tianmen_runtime.db import make_engine, outbox
from tianmen_runtime.kafka_io import ensure_topics, make_producer
from tianmen_runtime.outbox_relay import OutboxRelay
from tianmen_runtime.unit_of_work import unit_of_work

pytestmark = pytest.mark.integration

ENTERPRISES = [f"ent-{n}" for n in range(8)]
PER_ENTERPRISE = 60


@pytest.fixture(scope="module")
def bootstrap() -> Iterator[str]:
    with choose_broker() as servers:
        ensure_topics(servers, [SAFETY_ENTERPRISE])
        yield servers


def _record_deductions(engine: Engine) -> None:
    when = datetime(2026, 5, 1, tzinfo=UTC)
    for sequence in range(PER_ENTERPRISE):
        for enterprise in ENTERPRISES:
            event = PointsDeducted(
                enterprise_id=enterprise,
                violation_id=f"v{sequence}",
                points=1,
                balance_after=100 - sequence,
                cycle_year=2026,
                rule_version="r1",
            )
            with unit_of_work(engine, "/tianmen/relay-test") as uow:
                uow.events.append(
                    enterprise, [event], expected_version=sequence, time=when, correlation_id="c"
                )


def _unpublished(engine: Engine) -> int:
    with engine.connect() as conn:
        query = select(func.count()).where(outbox.c.published.is_(False))
        return int(conn.execute(query).scalar_one())


def _published_sequences(bootstrap: str) -> dict[str, list[int]]:
    """Every record on the topic, read to its end: each enterprise's ce_sequence in order."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    partitions = [
        TopicPartition(SAFETY_ENTERPRISE.name, p)
        for p in consumer.partitions_for_topic(SAFETY_ENTERPRISE.name)
    ]
    consumer.assign(partitions)
    consumer.seek_to_beginning()
    ends = consumer.end_offsets(partitions)
    seen: dict[str, list[int]] = defaultdict(list)
    while any(consumer.position(tp) < ends[tp] for tp in partitions):
        for records in consumer.poll(timeout_ms=1000).values():
            for record in records:
                headers = dict(record.headers)
                seen[headers["ce_subject"].decode()].append(int(headers["ce_sequence"]))
    consumer.close()
    return seen


def test_two_relays_publish_every_outbox_row_exactly_once_in_order(
    bootstrap: str, new_postgres_database: Callable[[str], str]
) -> None:
    url = new_postgres_database("relay_replicas")
    engine = make_engine(url)
    _record_deductions(engine)
    stop = threading.Event()
    relays = [
        OutboxRelay(make_engine(url), make_producer(bootstrap, f"relay-{n}"), batch_size=25)
        for n in range(2)
    ]
    threads = [threading.Thread(target=relay.run, args=(stop, 0.01)) for relay in relays]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 90
    while _unpublished(engine) and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert _unpublished(engine) == 0
    expected = list(range(1, PER_ENTERPRISE + 1))
    assert _published_sequences(bootstrap) == dict.fromkeys(ENTERPRISES, expected)
