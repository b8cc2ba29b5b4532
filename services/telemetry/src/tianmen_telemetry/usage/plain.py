"""The usage fold as the plain batched loop: kafka-python polls (500 records a poll), dicts in
memory. No changelog: what it holds is lost with the process (the trade against Faust)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from kafka import KafkaConsumer, TopicPartition

from tianmen_telemetry.usage.book import Json, add_record


def run(bootstrap: str, topics: Sequence[str], total: int) -> tuple[dict[str, Json], float]:
    """Fold `total` records from offset 0: (machine-day usage, seconds from the end of the first
    batch to the end of the last, as the Faust run is timed)."""
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, max_poll_records=500
    )
    partitions = [
        TopicPartition(t, p) for t in topics for p in consumer.partitions_for_topic(t) or ()
    ]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    carries: dict[str, Json] = {}
    days: dict[str, Json] = {}
    seen, started = 0, 0.0
    while seen < total:
        for records in consumer.poll(timeout_ms=500).values():
            for record in records:
                add_record(carries, days, record.headers, record.value)
            seen += len(records)
            started = started or time.perf_counter()  # the first batch is not counted
    elapsed = time.perf_counter() - started
    consumer.close()
    return days, elapsed
