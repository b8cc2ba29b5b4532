"""The baseline every consumer benchmark compares with: read and decode, nothing else."""

from __future__ import annotations

import time
from collections.abc import Sequence

from kafka import KafkaConsumer, TopicPartition
from tianmen_events import decode


def decode_only(bootstrap: str, topics: Sequence[str]) -> tuple[int, float]:
    """(records, seconds) to read the topics from offset 0 to their end, decoding envelopes."""
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
    seen, total, started = 0, sum(consumer.end_offsets(partitions).values()), time.perf_counter()
    while seen < total:
        for records in consumer.poll(timeout_ms=500).values():
            for record in records:
                decode(record.headers, record.value)
                seen += 1
    elapsed = time.perf_counter() - started
    consumer.close()
    return seen, elapsed
