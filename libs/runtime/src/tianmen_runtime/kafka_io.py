"""Kafka clients with every safety-relevant setting explicit, and topic creation at start-up."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError
from tianmen_events.topics import Topic

log = logging.getLogger(__name__)


def make_producer(bootstrap_servers: str, client_id: str) -> KafkaProducer:
    # Idempotence and acks=all are set explicitly so that a conflicting setting raises
    # instead of silently turning idempotence off.
    return KafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        retries=2**31 - 1,
        max_in_flight_requests_per_connection=5,
        compression_type="lz4",
        linger_ms=5,
    )


def make_consumer(
    bootstrap_servers: str, group_id: str | None, client_id: str, max_poll_records: int = 500
) -> KafkaConsumer:
    return KafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        group_id=group_id,
        client_id=client_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        max_poll_records=max_poll_records,
    )


def ensure_topics(
    bootstrap_servers: str, topics: Iterable[Topic], partitions: int | None = None
) -> None:
    """Create the topics with their explicit configuration; existing ones are left alone."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="tianmen-admin")
    try:
        existing = set(admin.list_topics())
        wanted = [
            NewTopic(
                t.name, partitions or t.partitions, _replication(admin), topic_configs=t.config
            )
            for t in topics
            if t.name not in existing
        ]
        for topic in wanted:
            try:
                admin.create_topics([topic])
                log.info("created topic", extra={"topic": topic.name})
            except TopicAlreadyExistsError:
                pass
    finally:
        admin.close()


def _replication(admin: KafkaAdminClient) -> int:
    brokers = admin.describe_cluster().get("brokers", [])
    return min(3, max(1, len(brokers)))
