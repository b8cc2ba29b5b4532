"""On a real broker: the Faust tables and the plain loop fold the same reports into the same
daily usage, and Faust's tables come back from their changelog topics after a restart."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from kafka import KafkaConsumer, TopicPartition
from tianmen_devkit.broker import choose_broker
from tianmen_events import EventMeta, encode
from tianmen_events.topics import TELEMETRY_REPORT
from tianmen_runtime.kafka_io import ensure_topics, make_producer
from tianmen_telemetry.usage import plain
from tianmen_telemetry.usage.book import Json

from ..helpers import at, reported

pytestmark = pytest.mark.integration
MORNING = at("2026-05-11T08:00:00")


@pytest.fixture(scope="module")
def bootstrap() -> Iterator[str]:
    with choose_broker() as servers:
        ensure_topics(servers, [TELEMETRY_REPORT])
        yield servers


def publish(bootstrap: str, machines: int, steps: range) -> int:
    producer = make_producer(bootstrap, "usage-test")
    for step in steps:
        for n in range(machines):
            when = MORNING + timedelta(minutes=5 * step)
            report = reported(
                when,
                machine_id=f"usage-m{n}",
                working=step % 7 != 6,  # a stop every 35 minutes: new windows
                fuel_level_pct=90.0 - step * 0.5,
                latitude=30.6531 + (0.001 if step % 2 else 0.0) * (n % 2),  # odd machines move
            )
            meta = EventMeta(
                id=report.report_id,
                source="/test",
                time=when,
                subject=report.machine_id,
                sequence=1,
                correlation_id=report.report_id,
            )
            message = encode(report, meta)
            producer.send(
                message.topic, key=message.key, value=message.value, headers=message.headers
            )
    producer.flush()
    producer.close()
    return machines * len(steps)


def on_topic(bootstrap: str) -> int:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    partitions = consumer.partitions_for_topic(TELEMETRY_REPORT.name) or set()
    ends = consumer.end_offsets([TopicPartition(TELEMETRY_REPORT.name, p) for p in partitions])
    consumer.close()
    return sum(ends.values())


def faust_usage(bootstrap: str, app_id: str, total: int, tmp: Path) -> dict[str, Json]:
    result = tmp / f"{uuid.uuid4()}.json"
    command = [sys.executable, "-m", "tianmen_telemetry.usage", bootstrap, app_id]
    subprocess.run([*command, str(total), str(result)], cwd=tmp, timeout=300, check=True)
    usage: dict[str, Json] = json.loads(result.read_text())["usage"]
    return usage


def test_faust_tables_and_the_plain_loop_agree_and_faust_recovers_from_its_changelog(
    bootstrap: str, tmp_path: Path
) -> None:
    publish(bootstrap, machines=4, steps=range(30))  # 08:00 .. 10:25
    total = on_topic(bootstrap)
    expected, _ = plain.run(bootstrap, [TELEMETRY_REPORT.name], total)
    app_id = f"usage-{uuid.uuid4()}"
    assert faust_usage(bootstrap, app_id, total, tmp_path) == expected
    moving, standing = expected["usage-m1|2026-05-11"], expected["usage-m0|2026-05-11"]
    assert standing["idle_s"] == standing["operating_s"] > 0
    assert moving["idle_s"] == 0 and moving["windows"] == standing["windows"] == 5
    # The same app restarted: its tables come back from the changelog, and the new reports
    # (the next 10 steps) add to them rather than starting over.
    later = publish(bootstrap, machines=4, steps=range(30, 40))
    grown, _ = plain.run(bootstrap, [TELEMETRY_REPORT.name], total + later)
    assert grown != expected
    assert faust_usage(bootstrap, app_id, later, tmp_path) == grown
