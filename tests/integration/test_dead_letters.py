"""A poison message goes to the consumer's dead-letter topic with the reason; the chain goes on."""

from __future__ import annotations

import uuid

import httpx
import pytest
from kafka import KafkaConsumer, KafkaProducer

from tests.integration.helpers import (
    NIGHT_REPORT,
    enterprise_view,
    eventually,
    register_bound_machine,
)

pytestmark = pytest.mark.integration


def _dead_letters(bootstrap_servers: str, topic: str, marker: bytes) -> dict[str, bytes] | None:
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
        consumer_timeout_ms=2000,
    )
    try:
        for message in consumer:
            if message.value == marker:
                return {k: v for k, v in message.headers}
        return None
    finally:
        consumer.close()


@pytest.mark.parametrize(
    ("topic", "consumer"), [("telemetry.alert", "safety"), ("safety.enterprise", "credit")]
)
def test_garbage_lands_in_the_dead_letter_topic_and_the_chain_still_works(
    topic: str, consumer: str, gateway: httpx.Client, bootstrap_servers: str
) -> None:
    marker = f"garbage {uuid.uuid4()} \x00\xff".encode("utf-8", "surrogateescape")
    producer = KafkaProducer(
        bootstrap_servers=bootstrap_servers, acks="all", enable_idempotence=True
    )
    producer.send(topic, key=b"not-an-enterprise", value=marker, headers=[("ce_type", b"nonsense")])
    producer.flush()
    producer.close()

    headers = eventually(
        lambda: _dead_letters(bootstrap_servers, f"{consumer}.dlq", marker),
        what=f"the garbage in {consumer}.dlq",
    )
    assert b"missing CloudEvents headers" in headers["dlq_reason"]
    assert headers["dlq_original_topic"] == topic.encode()
    assert headers["dlq_consumer"] == consumer.encode()

    ids = register_bound_machine(gateway)
    report = {**NIGHT_REPORT, "terminal_id": ids["terminal_id"]}
    assert gateway.post("/telemetry/reports", json={"reports": [report]}).status_code == 202
    eventually(lambda: enterprise_view(gateway, ids["enterprise_id"]), what="the chain after DLQ")
