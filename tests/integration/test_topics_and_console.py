"""Topics carry their explicit configuration, and Kafka's own tools read our CloudEvents."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import httpx
import pytest
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient
from tianmen_devkit.supervisor import Suite
from tianmen_events.registry import EnterpriseRegistered
from tianmen_events.topics import DOMAIN_TOPICS, REGISTRY_ENTERPRISE, TELEMETRY_REPORT
from tianmen_runtime.kafka_io import ensure_topics

from tests.integration.helpers import register_bound_machine

pytestmark = pytest.mark.integration


def _configs(bootstrap_servers: str, topic: str) -> dict[str, Any]:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers)
    try:
        answer = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    finally:
        admin.close()
    entries = answer["topic"][topic] if isinstance(answer, dict) else answer[0]
    return {name: entry["value"] for name, entry in entries.items()}


@pytest.mark.usefixtures("suite")
@pytest.mark.parametrize("topic", [t.name for t in DOMAIN_TOPICS])
def test_domain_topics_keep_everything(topic: str, bootstrap_servers: str) -> None:
    configs = _configs(bootstrap_servers, topic)
    assert configs["retention.ms"] == "-1"
    assert configs["cleanup.policy"] == "delete"


@pytest.mark.usefixtures("suite")
def test_raw_reports_are_compressed_and_expire(bootstrap_servers: str) -> None:
    configs = _configs(bootstrap_servers, TELEMETRY_REPORT.name)
    assert configs["compression.type"] == "lz4"
    assert 0 < int(configs["retention.ms"]) <= 7 * 24 * 3600 * 1000


def test_kafka_console_consumer_shows_cloudevents_headers(
    gateway: httpx.Client, suite: Suite, bootstrap_servers: str
) -> None:
    ids = register_bound_machine(gateway)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tianmen_devkit.kafka",
            "console-consumer",
            "--bootstrap-server",
            bootstrap_servers,
            "--topic",
            "registry.enterprise",
            "--from-beginning",
            "--timeout-ms",
            "15000",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    ours = [line for line in result.stdout.splitlines() if ids["enterprise_id"] in line]
    assert ours, result.stdout[-2000:] + result.stderr[-2000:]
    line = ours[0]
    for header in (
        "ce_specversion:1.0",
        "ce_type:tianmen.registry.enterprise_registered",
        f"ce_subject:{ids['enterprise_id']}",
        "ce_id:",
        "ce_source:/tianmen/registry",
        "ce_time:",
        "ce_sequence:1",
        "ce_correlationid:",
        f"ce_schemaversion:{EnterpriseRegistered.version}",
    ):
        assert header in line, line


@pytest.mark.usefixtures("suite")
def test_start_up_restores_a_domain_topic_whose_retention_drifted(bootstrap_servers: str) -> None:
    topic = REGISTRY_ENTERPRISE.name
    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers)
    try:
        week = {"retention.ms": str(7 * 24 * 3600 * 1000)}
        admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs=week)])
    finally:
        admin.close()
    assert _configs(bootstrap_servers, topic)["retention.ms"] != "-1"
    ensure_topics(bootstrap_servers, [REGISTRY_ENTERPRISE])
    assert _configs(bootstrap_servers, topic)["retention.ms"] == "-1"
