"""Redrive: once the cause of dead letters is fixed, apply them to their consumer again.

`python -m tianmen_<name> redrive` reads `<consumer>.dlq` from where the last redrive stopped
(the group `<consumer>.redrive` keeps that offset) up to its end at the start, and applies each
record with the live handlers in the service's store, delivered from its place in the DLQ. The
consumer's duplicate guard makes it exactly once: a redriven DLQ offset is never applied again
(a crash mid-redrive repeats nothing) and an event already applied counts as a duplicate. A record that still
fails goes to the back of the dead-letter topic with its new reason, to wait for the next fix.
The records not yet redriven are the DLQ's size (`tianmen_dead_letters_pending`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from kafka import KafkaConsumer, KafkaProducer, OffsetAndMetadata, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord
from kafka.errors import KafkaError
from sqlalchemy import Engine

from tianmen_runtime.kafka_io import make_consumer
from tianmen_runtime.metrics import DEAD_LETTERS_PENDING
from tianmen_runtime.projection import Poison, Subscription, apply_batch

log = logging.getLogger(__name__)
DLQ_HEADERS = frozenset(
    {"dlq_reason", "dlq_consumer", "dlq_original_topic", "dlq_original_partition"}
    | {"dlq_original_offset"}
)


@dataclass
class RedriveResult:
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


def redrive_group(consumer: str) -> str:
    return f"{consumer}.redrive"


def redrive(
    engine: Engine, subscription: Subscription, producer: KafkaProducer, bootstrap_servers: str
) -> RedriveResult:
    dlq = f"{subscription.name}.dlq"
    consumer = _dlq_consumer(bootstrap_servers, subscription.name, "redrive")
    result = RedriveResult()
    try:
        partitions = _partitions(consumer, dlq)
        consumer.assign(partitions)
        end = consumer.end_offsets(partitions)
        while any(consumer.position(tp) < end[tp] for tp in partitions):
            for tp, records in consumer.poll(timeout_ms=500).items():
                due = [r for r in records if r.offset < end[tp]]
                if due:
                    _redrive(engine, subscription, producer, due, result)
                    consumer.commit({tp: OffsetAndMetadata(due[-1].offset + 1, "", -1)})
    finally:
        consumer.close()
    return result


def pending(bootstrap_servers: str, consumer_name: str) -> int:
    """Dead letters of `consumer_name` not yet redriven."""
    consumer = _dlq_consumer(bootstrap_servers, consumer_name, "dlq-size")
    try:
        partitions = _partitions(consumer, f"{consumer_name}.dlq")
        ends = consumer.end_offsets(partitions)
        return sum(end - (consumer.committed(tp) or 0) for tp, end in ends.items())
    finally:
        consumer.close()


def _dlq_consumer(bootstrap_servers: str, consumer_name: str, role: str) -> KafkaConsumer:
    group = redrive_group(consumer_name)
    return make_consumer(bootstrap_servers, group, f"{consumer_name}-{role}")


def _partitions(consumer: KafkaConsumer, dlq: str) -> list[TopicPartition]:
    return [TopicPartition(dlq, p) for p in sorted(consumer.partitions_for_topic(dlq) or ())]


def _redrive(
    engine: Engine,
    subscription: Subscription,
    producer: KafkaProducer,
    records: Sequence[ConsumerRecord],
    result: RedriveResult,
) -> None:
    outcomes = apply_batch(engine, subscription, [_without_dlq_headers(r) for r in records])
    still_failing = []
    for record, outcome in zip(records, outcomes, strict=True):
        if isinstance(outcome, Poison):
            still_failing.append(_send_back(producer, record, str(outcome)))
            outcome = "still_failing"
        result.count(outcome)
    producer.flush()
    for future in still_failing:
        future.get(timeout=30)


def _without_dlq_headers(record: ConsumerRecord) -> ConsumerRecord:
    """The dead letter as its consumer first saw it, delivered from its place in the DLQ: the
    duplicate guard then knows a redriven record by its DLQ offset, and an event it already
    applied by its id."""
    return record._replace(
        headers=[(k, v) for k, v in record.headers or [] if k not in DLQ_HEADERS]
    )


def _send_back(producer: KafkaProducer, record: ConsumerRecord, reason: str):  # type: ignore[no-untyped-def]
    headers = [(k, v) for k, v in record.headers or [] if k != "dlq_reason"]
    headers.append(("dlq_reason", reason.encode()[:4000]))
    return producer.send(record.topic, key=record.key, value=record.value, headers=headers)


def watch_pending(
    bootstrap_servers: str, consumer_name: str, stop: threading.Event, every_s: float = 15.0
) -> None:
    """Keep `tianmen_dead_letters_pending` current until `stop` (a broker outage skips a beat)."""
    while not stop.is_set():
        try:
            DEAD_LETTERS_PENDING.labels(consumer_name).set(
                pending(bootstrap_servers, consumer_name)
            )
        except KafkaError as exc:
            log.warning("dead letters not counted", extra={"error": str(exc)})
        stop.wait(every_s)
