"""Kafka clients with every safety-relevant setting explicit, and topics created at start-up."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any

from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError
from tianmen_events.topics import Topic

log = logging.getLogger(__name__)
DELIVERY_TIMEOUT_S = 5.0
"""A produced record is acknowledged or reported failed within this (see docs/decisions.md)."""
MAX_BLOCK_MS = 2000
"""How long `send` may wait for the broker's metadata before failing (default 60 s)."""
SESSION_TIMEOUT_MS = 10_000
"""A killed consumer's partitions move on after this (default 45 s: reads 35 s stale)."""
METADATA_MAX_AGE_MS = 15_000
"""A consumer that joined while a topic had no leader yet is assigned nothing of it until its
metadata refreshes; the 5-minute default left a group's lag stuck for minutes."""
LEADER_WAIT_S = 30.0
"""How long `ensure_topics` waits for every partition of the topics to have a leader."""


def make_producer(
    bootstrap_servers: str, client_id: str, delivery_timeout_s: float = DELIVERY_TIMEOUT_S
) -> KafkaProducer:
    """Idempotence and acks=all are set explicitly so that a conflicting setting raises instead
    of silently turning idempotence off. A send is settled (acknowledged or failed) within
    `delivery_timeout_s` plus `max_block_ms` waiting for metadata, so an HTTP answer that says
    a write failed is never followed by the producer quietly retrying it (the 120 s default)."""
    delivery_ms = int(delivery_timeout_s * 1000)
    return KafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        retries=2**31 - 1,
        max_in_flight_requests_per_connection=5,
        compression_type="lz4",
        linger_ms=5,
        delivery_timeout_ms=delivery_ms,
        request_timeout_ms=max(1000, delivery_ms - 1000),
        max_block_ms=MAX_BLOCK_MS,
    )


def make_consumer(
    bootstrap_servers: str,
    group_id: str | None,
    client_id: str,
    max_poll_records: int = 500,
    instance_id: str | None = None,
    fetch_min_bytes: int = 1,
    fetch_max_wait_ms: int = 500,
) -> KafkaConsumer:
    """kafka-python's consumer: the JT/T 808 and plain usage feeds (no group) and the redrive tool;
    the live subscription's group member is `group_consumer.make_group_consumer` (decision 113).
    `instance_id` makes the member static: restarted under the same id, it takes its
    partitions back at once instead of waiting out the dead member's session.
    `fetch_min_bytes` above the library's 1 has the broker gather a fuller fetch, waiting at
    most `fetch_max_wait_ms` for it: fewer, fuller polls, each poll's fixed costs paid less
    often, for at most that wait added to a record's way (telemetry's worker)."""
    return KafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        group_id=group_id,
        client_id=client_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        max_poll_records=max_poll_records,
        fetch_min_bytes=fetch_min_bytes,
        fetch_max_wait_ms=fetch_max_wait_ms,
        session_timeout_ms=SESSION_TIMEOUT_MS,
        heartbeat_interval_ms=SESSION_TIMEOUT_MS // 4,
        group_instance_id=instance_id,
        metadata_max_age_ms=METADATA_MAX_AGE_MS,
    )


def ensure_topics(
    bootstrap_servers: str, topics: Iterable[Topic], partitions: int | None = None
) -> None:
    """Create missing topics with their declared configuration, and put a drifted existing
    topic back on it (a domain topic left on the broker's 7-day default would lose history)."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="tianmen-admin")
    try:
        replication = _replication(admin)
        existing = set(admin.list_topics())
        for topic in topics:
            config = _config(topic, replication)
            if topic.name in existing:
                _align(admin, topic.name, config)
            else:
                _create(
                    admin,
                    NewTopic(
                        topic.name,
                        partitions or topic.partitions,
                        replication,
                        topic_configs=config,
                    ),
                )
        _await_leaders(admin, [topic.name for topic in topics])
    finally:
        admin.close()


def _await_leaders(admin: KafkaAdminClient, names: list[str]) -> None:
    """A created topic has no leader for a moment: a consumer subscribing then is assigned none
    of its partitions (the range assignor finds "no partition metadata"), so wait them out."""
    deadline = time.monotonic() + LEADER_WAIT_S
    while (missing := _leaderless(admin, names)) and time.monotonic() < deadline:
        time.sleep(0.1)
    if missing:
        log.warning("topics still without a leader", extra={"topics": sorted(missing)})


def _leaderless(admin: KafkaAdminClient, names: list[str]) -> set[str]:
    described = admin.describe_topics(names)
    return {
        topic["name"]
        for topic in described
        if topic["error_code"]
        or not topic["partitions"]
        or any(part["error_code"] or part["leader_id"] < 0 for part in topic["partitions"])
    }


def _config(topic: Topic, replication: int) -> dict[str, str]:
    # With three replicas an acknowledged write survives the loss of one broker.
    return {**topic.config, **({"min.insync.replicas": "2"} if replication >= 3 else {})}


def _create(admin: KafkaAdminClient, topic: NewTopic) -> None:
    try:
        admin.create_topics([topic])
        log.info("created topic", extra={"topic": topic.name})
    except TopicAlreadyExistsError:
        pass


def _align(admin: KafkaAdminClient, name: str, wanted: dict[str, str]) -> None:
    actual = _describe(admin, name)
    drifted = {key: value for key, value in wanted.items() if actual.get(key) != value}
    if drifted:
        log.warning("topic configuration drifted; restoring", extra={"topic": name, **drifted})
        admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, name, configs=wanted)])


def _describe(admin: KafkaAdminClient, name: str) -> dict[str, Any]:
    answer = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name)])
    entries = answer["topic"][name] if isinstance(answer, dict) else answer[0]
    return {key: entry["value"] for key, entry in entries.items()}


def _replication(admin: KafkaAdminClient) -> int:
    brokers = admin.describe_cluster().get("brokers", [])
    return min(3, max(1, len(brokers)))
