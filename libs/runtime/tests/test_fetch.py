"""`LogFetcher` (confluent-kafka) on a real broker reads what kafka-python reads: every record of
each partition once, in its order, with its key, headers and log time, across a pause; its
position reaches the partitions' ends; errors other than a partition's end raise."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from confluent_kafka import KafkaError, KafkaException, Message
from kafka import KafkaConsumer, TopicPartition
from tianmen_devkit.broker import choose_broker
from tianmen_events.topics import Topic
from tianmen_runtime.fetch import LogFetcher
from tianmen_runtime.kafka_io import ensure_topics, make_producer

TOPIC = Topic("runtime.fetch-test", "key", partitions=2)
PER_PARTITION = 3000
PARTS = [TopicPartition(TOPIC.name, p) for p in (0, 1)]


def _kafka_python_view(bootstrap: str) -> list[tuple[object, ...]]:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    consumer.assign(PARTS)
    consumer.seek_to_beginning()
    seen: list[tuple[object, ...]] = []
    deadline = time.monotonic() + 60
    while len(seen) < 2 * PER_PARTITION and time.monotonic() < deadline:
        for records in consumer.poll(timeout_ms=500, max_records=1000).values():
            seen += [_fields(r) for r in records]
    consumer.close()
    return sorted(seen)


def _fields(r: object) -> tuple[object, ...]:
    names = ("topic", "partition", "offset", "timestamp", "key", "value", "headers")
    return tuple((getattr(r, n) or None) if n == "headers" else getattr(r, n) for n in names)


@pytest.fixture(scope="module")
def bootstrap() -> Iterator[str]:
    with choose_broker() as servers:
        ensure_topics(servers, [TOPIC])
        producer = make_producer(servers, "fetch-test")
        for n in range(PER_PARTITION):
            for partition in (0, 1):
                headers = [("ce_id", f"{partition}-{n}".encode())] if n % 2 else []
                key = None if n % 3 == 0 else f"k{n}".encode()
                producer.send(
                    TOPIC.name, key=key, value=b"v%d" % n, headers=headers, partition=partition
                )
        producer.flush()
        producer.close()
        yield servers


@pytest.mark.integration
def test_it_reads_what_kafka_python_reads_once_each_in_order_across_a_pause(bootstrap: str) -> None:
    fetcher = LogFetcher(bootstrap, "fetch-test", 500)
    assert fetcher.partitions_for_topic(TOPIC.name) == {0, 1}
    end = fetcher.end_offsets(PARTS)
    assert end == {tp: PER_PARTITION for tp in PARTS}
    fetcher.assign_from_beginning(PARTS)
    seen: dict[TopicPartition, list[tuple[object, ...]]] = {tp: [] for tp in PARTS}
    paused: TopicPartition | None = None
    deadline = time.monotonic() + 60
    while any(fetcher.position(tp) < end[tp] for tp in PARTS) and time.monotonic() < deadline:
        for tp, records in fetcher.poll(timeout_ms=500).items():
            seen[tp] += [_fields(r) for r in records]
        if paused is None and any(seen.values()):
            paused = next(tp for tp in PARTS if seen[tp])  # fetched ahead, some not yet given
            fetcher.pause(paused)
            for _ in range(4):
                polled = fetcher.poll(timeout_ms=250)
                assert paused not in polled
                for tp, records in polled.items():
                    seen[tp] += [_fields(r) for r in records]
            fetcher.resume(paused)
    fetcher.close()
    assert paused is not None
    for tp in PARTS:
        assert [f[2] for f in seen[tp]] == list(range(PER_PARTITION))  # once each, in order
        assert fetcher.position(tp) == PER_PARTITION
    assert sorted(seen[PARTS[0]] + seen[PARTS[1]]) == _kafka_python_view(bootstrap)


@pytest.mark.integration
def test_a_topic_the_broker_does_not_know_has_no_partitions(bootstrap: str) -> None:
    fetcher = LogFetcher(bootstrap, "fetch-test", 500)
    assert fetcher.partitions_for_topic("runtime.no-such-topic") is None
    fetcher.close()


def test_a_partitions_end_moves_its_position_and_other_errors_raise_with_their_reason() -> None:
    fetcher = LogFetcher("127.0.0.1:1", "fetch-unit", 10)  # never asked anything
    tp = PARTS[0]
    end = KafkaError(KafkaError._PARTITION_EOF)
    fetcher._settle(Message(topic=tp.topic, partition=0, offset=42, error=end))
    assert fetcher.position(tp) == 42
    fetcher._settle(Message(error=KafkaError(KafkaError._TRANSPORT)))  # the client recovers
    unknown = KafkaError(KafkaError.UNKNOWN_TOPIC_OR_PART)
    with pytest.raises(KafkaException, match="UNKNOWN_TOPIC_OR_PART"):
        fetcher._settle(Message(topic=tp.topic, partition=0, error=unknown))
    fatal = KafkaError(KafkaError._FATAL, fatal=True)
    with pytest.raises(KafkaException):
        fetcher._settle(Message(error=fatal))
    fetcher.close()
