"""What the latency bench watches: alerts as they are read from `telemetry.alert` (and the
relay's send time, which the topic keeps as the record's time), and alerts' outbox rows as the
worker's transactions commit them (looked for every `WATCH_EVERY_S`)."""

from __future__ import annotations

import json
import threading
import time

from kafka import KafkaConsumer, TopicPartition
from sqlalchemy import Engine, select
from tianmen_events import decode
from tianmen_events.telemetry import AlertRaised
from tianmen_events.topics import TELEMETRY_ALERT
from tianmen_runtime.db import outbox

WATCH_EVERY_S = 0.01


def read_alerts(
    bootstrap: str, moments: dict[str, dict[str, float]], stop: threading.Event
) -> None:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    partitions = [
        TopicPartition(TELEMETRY_ALERT.name, p)
        for p in consumer.partitions_for_topic(TELEMETRY_ALERT.name) or ()
    ]
    consumer.assign(partitions)
    while not stop.is_set():
        for records in consumer.poll(timeout_ms=200).values():
            now = time.time()
            for record in records:
                event, _ = decode(record.headers, record.value)
                if isinstance(event, AlertRaised) and event.evidence:
                    report = event.evidence[-1].report_id
                    moments["arrived"].setdefault(report, now)
                    moments["published"].setdefault(report, record.timestamp / 1000)
    consumer.close()


def watch_outbox(engine: Engine, outboxed: dict[str, float], stop: threading.Event) -> None:
    """When each alert's outbox row was first seen committed (the worker's transaction)."""
    after = 0
    while not stop.wait(WATCH_EVERY_S):
        query = select(outbox.c.position, outbox.c.value).where(
            outbox.c.position > after, outbox.c.topic == TELEMETRY_ALERT.name
        )
        with engine.connect() as conn:
            rows = conn.execute(query).all()
        now = time.time()
        for position, value in rows:
            evidence = json.loads(value).get("evidence") or [{}]
            outboxed.setdefault(evidence[-1].get("report_id", ""), now)
            after = max(after, position)
