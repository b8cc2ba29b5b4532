"""A paused partition comes back after resume, whatever the fetcher had parked for it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from kafka import KafkaConsumer, TopicPartition
from tianmen_devkit.broker import choose_broker
from tianmen_events.topics import Topic
from tianmen_runtime.kafka_io import ensure_topics, make_producer, resume

pytestmark = pytest.mark.integration

TOPIC = Topic("runtime.paused-test", "key", partitions=2)


@pytest.fixture(scope="module")
def bootstrap() -> Iterator[str]:
    with choose_broker() as servers:
        ensure_topics(servers, [TOPIC])
        producer = make_producer(servers, "paused-test")
        for partition in (0, 1):
            for n in range(5):
                producer.send(
                    TOPIC.name, key=b"k", value=f"{partition}-{n}".encode(), partition=partition
                )
        producer.flush()
        producer.close()
        yield servers


def _read_after_pausing(
    bootstrap: str, resume_with: Callable[[KafkaConsumer, list[TopicPartition]], None]
) -> list[str]:
    """Partition 0 is paused with records fetched but not returned, partition 1 drained (the
    fetcher's in-line slot then holds an empty batch), then 0 resumed: what of 0 comes back."""
    first, second = TopicPartition(TOPIC.name, 0), TopicPartition(TOPIC.name, 1)
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, max_poll_records=3
    )
    consumer.assign([first, second])
    consumer.seek_to_beginning()
    seen: list[str] = []
    deadline = time.monotonic() + 20
    while not seen and time.monotonic() < deadline:
        for records in consumer.poll(timeout_ms=500).values():
            seen += [r.value.decode() for r in records]
    paused = next(tp for tp in (first, second) if seen[0].startswith(str(tp.partition)))
    consumer.pause(paused)
    other = 0
    while other < 5 and time.monotonic() < deadline:
        other += sum(len(rs) for rs in consumer.poll(timeout_ms=500).values())
    resume_with(consumer, [paused])
    while len(seen) < 5 and time.monotonic() < deadline:
        for records in consumer.poll(timeout_ms=500).values():
            seen += [r.value.decode() for r in records]
    consumer.close()
    return [value for value in seen if value.startswith(str(paused.partition))]


def test_a_resumed_partition_is_read_to_its_end(bootstrap: str) -> None:
    """With the library's own `consumer.resume` this reads 0, 1, 2 and never the rest."""
    values = _read_after_pausing(bootstrap, resume)
    assert [v.split("-")[1] for v in values] == ["0", "1", "2", "3", "4"]
