"""The baseline every consumer benchmark compares with: read and decode, nothing else."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from kafka import KafkaConsumer, TopicPartition
from tianmen_events import decode


@dataclass(frozen=True)
class Timed:
    """How long a pass over the records took: wall-clock seconds, and this process's CPU
    seconds (steadier on a shared machine, where the wall clock counts other work's turns)."""

    records: int
    seconds: float
    cpu_seconds: float


def decode_only(bootstrap: str, topics: Sequence[str]) -> tuple[int, float]:
    """(records, seconds) to read the topics from offset 0 to their end, decoding envelopes."""
    timed = decode_only_timed(bootstrap, topics)
    return timed.records, timed.seconds


def decode_only_timed(bootstrap: str, topics: Sequence[str]) -> Timed:
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, max_poll_records=500
    )
    partitions = [
        TopicPartition(topic, p)
        for topic in topics
        for p in consumer.partitions_for_topic(topic) or ()
    ]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    seen, total = 0, sum(consumer.end_offsets(partitions).values())
    started, cpu = time.perf_counter(), time.process_time()
    while seen < total:
        for records in consumer.poll(timeout_ms=500).values():
            for record in records:
                decode(record.headers, record.value)
                seen += 1
    timed = Timed(seen, time.perf_counter() - started, time.process_time() - cpu)
    consumer.close()
    return timed


def decode_only_confluent_timed(bootstrap: str, topics: Sequence[str]) -> Timed:
    """`decode_only_timed` read with confluent-kafka (librdkafka, records built in C) instead of
    kafka-python: beside the baseline, never instead of it (decision 111). The issues' ratios
    stay against kafka-python's decode-only; this says how much of it was the client's fetch."""
    from confluent_kafka import OFFSET_BEGINNING, Consumer
    from confluent_kafka import TopicPartition as Partition

    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": "decode-only-confluent",  # required by the client; never joined
            "enable.auto.commit": False,
            "enable.partition.eof": False,
        }
    )
    metadata = consumer.list_topics(timeout=10)
    partitions = [
        Partition(topic, p, OFFSET_BEGINNING)
        for topic in topics
        for p in sorted(metadata.topics[topic].partitions)
    ]
    total = 0
    for tp in partitions:
        low, high = consumer.get_watermark_offsets(tp, timeout=10)
        total += high - low
    consumer.assign(partitions)
    seen = 0
    started, cpu = time.perf_counter(), time.process_time()
    while seen < total:
        for message in consumer.consume(num_messages=500, timeout=0.5):
            if message.error() is not None:
                raise RuntimeError(str(message.error()))
            decode(message.headers(), message.value())  # type: ignore[arg-type]
            seen += 1
    timed = Timed(seen, time.perf_counter() - started, time.process_time() - cpu)
    consumer.close()
    return timed
