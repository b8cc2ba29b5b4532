"""Each consumer group's lag as the broker sees it: end offsets minus committed offsets over
every partition of the topics it reads (a partition it never committed counts from 0).

Used by `make soak` (is lag bounded?); the tests wait with `tests/integration/drain.py`.
"""

from __future__ import annotations

from kafka import KafkaAdminClient, KafkaConsumer, OffsetAndMetadata, TopicPartition
from tianmen_events import topics

CONSUMED = {
    "telemetry": (topics.REGISTRY_MACHINE.name, topics.TELEMETRY_REPORT.name),
    "safety": (topics.TELEMETRY_ALERT.name,),
    "credit": (topics.SAFETY_ENTERPRISE.name,),
}
"""Each consumer group (named as its service) and the topics it reads."""


def group_lags(bootstrap_servers: str) -> dict[str, int]:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="tianmen-lag")
    consumer = KafkaConsumer(bootstrap_servers=bootstrap_servers, client_id="tianmen-lag")
    try:
        return {group: _lag(admin, consumer, group) for group in CONSUMED}
    finally:
        consumer.close()
        admin.close()


def _lag(admin: KafkaAdminClient, consumer: KafkaConsumer, group: str) -> int:
    partitions = [
        TopicPartition(topic, p)
        for topic in CONSUMED[group]
        for p in consumer.partitions_for_topic(topic) or ()
    ]
    committed = admin.list_group_offsets({group: partitions}).get(group, {})
    ends = consumer.end_offsets(partitions)
    return int(sum(max(0, ends[tp] - _offset(committed.get(tp))) for tp in partitions))


def _offset(committed: OffsetAndMetadata | None) -> int:
    return committed.offset if committed is not None and committed.offset >= 0 else 0
