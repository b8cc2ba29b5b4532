"""A real broker: LocalKafka from Maven Central jars, kafka-python round trip, CLI tools."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from kafka import KafkaConsumer, KafkaProducer
from tianmen_devkit import broker
from tianmen_devkit.kafka import LocalKafka
from tianmen_devkit.kafka_probe import port_open

pytestmark = pytest.mark.integration

SRC = Path(__file__).resolve().parents[1] / "src"
HEADERS = [("ce_id", b"evt-1"), ("ce_type", b"tianmen.test.ping"), ("ce_specversion", b"1.0")]


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [sys.executable, "-m", "tianmen_devkit.kafka", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def create_topic(bootstrap: str, topic: str) -> None:
    proc = cli("topics", "--bootstrap-server", bootstrap, "--create", "--topic", topic,
               "--partitions", "1")  # fmt: skip
    assert proc.returncode == 0, proc.stderr


def produce(bootstrap: str, topic: str) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    try:
        producer.send(topic, key=b"machine-7", value=b'{"ok":true}', headers=HEADERS).get(30)
    finally:
        producer.close()


@pytest.fixture(scope="module")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalKafka]:
    with LocalKafka(tmp_path_factory.mktemp("kafka")) as local:
        yield local


def test_round_trip_with_headers(kafka: LocalKafka) -> None:
    topic = f"devkit.roundtrip.{uuid.uuid4().hex[:8]}"
    create_topic(kafka.bootstrap_servers, topic)
    produce(kafka.bootstrap_servers, topic)
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=kafka.bootstrap_servers,
        group_id=f"devkit-test-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        consumer_timeout_ms=30_000,
    )
    try:
        record = next(iter(consumer))
    finally:
        consumer.close()
    assert record.key == b"machine-7"
    assert record.value == b'{"ok":true}'
    assert list(record.headers) == HEADERS


def test_console_consumer_prints_headers(kafka: LocalKafka) -> None:
    topic = f"devkit.console.{uuid.uuid4().hex[:8]}"
    create_topic(kafka.bootstrap_servers, topic)
    produce(kafka.bootstrap_servers, topic)
    proc = cli("console-consumer", "--bootstrap-server", kafka.bootstrap_servers, "--topic", topic,
               "--from-beginning", "--max-messages", "1", "--timeout-ms", "30000")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "ce_id:evt-1" in proc.stdout
    assert "ce_type:tianmen.test.ping" in proc.stdout
    assert "machine-7" in proc.stdout and '{"ok":true}' in proc.stdout


def test_topics_list(kafka: LocalKafka) -> None:
    create_topic(kafka.bootstrap_servers, "devkit.listed")
    proc = cli("topics", "--bootstrap-server", kafka.bootstrap_servers, "--list")
    assert proc.returncode == 0, proc.stderr
    assert "devkit.listed" in proc.stdout.split()


def test_restart_keeps_data_without_reformat(tmp_path: Path) -> None:
    with LocalKafka(tmp_path) as first:
        create_topic(first.bootstrap_servers, "devkit.kept")
    assert not LocalKafka(tmp_path).format()  # already formatted: nothing to do
    with LocalKafka(tmp_path) as second:  # fresh ports, same data
        proc = cli("topics", "--bootstrap-server", second.bootstrap_servers, "--list")
    assert "devkit.kept" in proc.stdout.split()


def test_cli_start_serves_until_sigterm(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    cmd = [sys.executable, "-m", "tianmen_devkit.kafka", "start", "--data-dir", str(tmp_path),
           "--port", "0"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        bootstrap = proc.stdout.readline().strip()
        assert bootstrap.startswith("127.0.0.1:")
        create_topic(bootstrap, "devkit.cli")
    finally:
        proc.terminate()
        assert proc.wait(60) == 0
    assert not port_open(int(bootstrap.rsplit(":", 1)[1]))  # the broker went down with it


def test_choose_broker_falls_back_to_local_kafka(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(broker.BOOTSTRAP_ENV, raising=False)
    monkeypatch.setattr(broker, "docker_available", lambda: False)
    with broker.choose_broker() as bootstrap:
        assert bootstrap.startswith("127.0.0.1:")
        create_topic(bootstrap, "devkit.chosen")
