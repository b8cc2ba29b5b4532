"""A log of telemetry's topics published through a real broker, then applied live by its
consumer loop, on topics of the test's own (`test_telemetry_recorded_order.isolated`)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from datetime import datetime

from kafka import TopicPartition
from tianmen_events import DomainEvent, EventMeta, encode
from tianmen_events.registry import MachineKind, MachineRegistered
from tianmen_events.topics import Topic, by_name
from tianmen_runtime.consumer import EventConsumer
from tianmen_runtime.group_consumer import make_group_consumer
from tianmen_runtime.kafka_io import ensure_topics, make_producer
from tianmen_runtime.projection import Subscription
from tianmen_runtime.service import Service

from .test_telemetry_recorded_order import isolated


def published_and_applied(
    bootstrap_servers: str, live: Service, log: Sequence[tuple[DomainEvent, datetime]], name: str
) -> tuple[Subscription, list[str]]:
    """Each event of `log` published (acknowledged before the next: the log records them in
    order, one partition a topic) and applied by `live`'s consumer loop until every report is
    in; the subscription (for a replay) and the events' ids."""
    subscription, names = isolated(live, uuid.uuid4().hex[:8])
    ensure_topics(
        bootstrap_servers, [Topic(names[t.name], t.key, 1, t.config) for t in map(by_name, names)]
    )
    producer, ids = make_producer(bootstrap_servers, f"{name}-test"), []
    for event, at in log:
        meta = EventMeta(
            str(uuid.uuid4()), f"/tianmen/{name}", at, event.subject_id(), 1, "c", event.type
        )
        ids.append(meta.id)
        message = encode(event, meta)
        sent = producer.send(
            names[message.topic], key=message.key, value=message.value, headers=message.headers
        )
        sent.get(30)
    producer.close()

    reports = sum(1 for event, _ in log if event.topic == "telemetry.report")
    consumer = make_group_consumer(
        bootstrap_servers, f"{name}-{uuid.uuid4().hex[:8]}", f"{name}-live"
    )
    partitions = [TopicPartition(topic, 0) for topic in names.values()]
    consumer.assign_from_beginning(partitions)
    loop = EventConsumer(
        live.engine, subscription, consumer, make_producer(bootstrap_servers, name)
    )
    report_tp, stop = TopicPartition(names["telemetry.report"], 0), threading.Event()
    for _ in range(60):
        loop.poll_once(stop, timeout_ms=200)
        if consumer.position(report_tp) >= reports:
            break
    assert consumer.position(report_tp) == reports, "the reports were not all applied"
    consumer.close()
    return subscription, ids


def machine_registered(machine_id: str, enterprise_id: str) -> MachineRegistered:
    """An excavator of the city centre's jurisdiction, not high risk."""
    return MachineRegistered(
        machine_id=machine_id,
        enterprise_id=enterprise_id,
        kind=MachineKind.EXCAVATOR,
        brand="SANY",
        model="SY215C",
        serial_number=f"SN-{machine_id}",
        jurisdiction_code="429006101",
        high_risk=False,
    )
