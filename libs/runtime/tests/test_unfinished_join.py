"""A group join the client leaves in flight past a poll is finished by a later poll."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from kafka import KafkaConsumer
from kafka.admin import KafkaAdminClient, NewPartitions
from tianmen_devkit.broker import choose_broker
from tianmen_events.topics import Topic
from tianmen_runtime.kafka_io import ensure_topics, finish_join, make_consumer

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def bootstrap() -> Iterator[str]:
    with choose_broker() as servers:
        yield servers


def _poll_for(consumer: KafkaConsumer, seconds: float, before: Callable[[], object]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        before()
        consumer.poll(timeout_ms=200)


def _partitions(consumer: KafkaConsumer) -> set[int]:
    return {tp.partition for tp in consumer.assignment()}


def test_a_rejoin_begun_by_a_poll_that_gave_up_is_finished(bootstrap: str) -> None:
    """The leader's metadata grows a partition, so it must rejoin; the poll that begins the
    rejoin gives up at once, and the leader's assignment (inside the join) settles
    `need_rejoin()` before any poll took the join's result. With kafka-python's poll alone
    the member stays rebalancing, the new partition never assigned (bench-telemetry's
    "stalled at 0": there the first assignment, made before metadata, was empty)."""
    topic = Topic(f"runtime.join-test-{uuid.uuid4().hex[:8]}", "key", partitions=1)
    ensure_topics(bootstrap, [topic])
    consumer = make_consumer(bootstrap, f"join-test-{uuid.uuid4()}", "join-test")
    try:
        consumer.partitions_for_topic(topic.name)
        consumer.subscribe([topic.name])
        _poll_for(consumer, 5, lambda: finish_join(consumer))
        assert _partitions(consumer) == {0}
        admin = KafkaAdminClient(bootstrap_servers=bootstrap)
        admin.create_partitions({topic.name: NewPartitions(total_count=2)})
        admin.close()
        deadline = time.monotonic() + 40  # the consumer's metadata refreshes every 15 s
        while len(consumer.partitions_for_topic(topic.name)) < 2:
            assert time.monotonic() < deadline, "the new partition never reached the consumer"
            time.sleep(0.2)
        consumer.poll(timeout_ms=0)  # begins the rejoin, waits for none of it
        time.sleep(3)  # the join completes on the client's IO thread, its result untaken
        _poll_for(consumer, 10, lambda: finish_join(consumer))
        assert _partitions(consumer) == {0, 1}
    finally:
        consumer.close()
