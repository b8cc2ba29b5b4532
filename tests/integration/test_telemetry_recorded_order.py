"""Telemetry's replay equals live for any arrival order of the registry's word (decision 78).

Real broker, telemetry's own subscription and consumer loop, on topics of this test's own (the
same configuration as telemetry's, LogAppendTime included, so nothing else reads them). A report
is recorded before a zone declared earlier than its date, then more after it. Live, the zone's
partition is kept from being fetched (the zone "in flight"): the reports must wait for it, and
the first report the log recorded after the zone carries the alert. A replay that reads
everything at once derives the same store (digest).
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kafka import KafkaProducer, TopicPartition
from sqlalchemy import select
from tianmen_events import DomainEvent, EventMeta, encode
from tianmen_events.registry import (
    MachineKind,
    MachineRegistered,
    RestrictedZoneDeclared,
    TerminalBound,
    ZoneKind,
)
from tianmen_events.telemetry import TerminalReported
from tianmen_events.topics import Topic, by_name
from tianmen_runtime.consumer import EventConsumer
from tianmen_runtime.group_consumer import make_group_consumer
from tianmen_runtime.kafka_io import ensure_topics, make_producer
from tianmen_runtime.projection import Subscription
from tianmen_runtime.replay import replay
from tianmen_runtime.service import Service
from tianmen_telemetry import bootstrap
from tianmen_telemetry.adapters.orm import alerts, live_states
from tianmen_telemetry.config import Settings

MACHINE, ENTERPRISE, TERMINAL = "h47-machine", "h47-enterprise", "h47-terminal"
DECLARED = datetime(2026, 5, 11, 0, 0, tzinfo=UTC)  # 08:00 in Tianmen: before every report
WHERE = (30.6531, 113.1661)


def _box(latitude: float, longitude: float, half: float) -> dict[str, Any]:
    lo, hi = (longitude - half, latitude - half), (longitude + half, latitude + half)
    ring = [[lo[0], lo[1]], [hi[0], lo[1]], [hi[0], hi[1]], [lo[0], hi[1]], [lo[0], lo[1]]]
    return {"type": "Polygon", "coordinates": [ring]}


def _report(n: int) -> TerminalReported:
    at = DECLARED + timedelta(hours=4, minutes=n)  # noon in Tianmen, after the declaration
    return TerminalReported(
        report_id=f"h47-report-{n}",
        terminal_id=TERMINAL,
        machine_id=MACHINE,
        enterprise_id=ENTERPRISE,
        reported_at=at,
        latitude=WHERE[0],
        longitude=WHERE[1],
        working=True,
    )


ZONE = RestrictedZoneDeclared(
    zone_id="h47-zone",
    name="实验小学",
    kind=ZoneKind.SCHOOL,
    jurisdiction_code="429006101",
    boundary=_box(*WHERE, 0.001),
)
GIVEN: list[DomainEvent] = [
    MachineRegistered(
        machine_id=MACHINE,
        enterprise_id=ENTERPRISE,
        kind=MachineKind.EXCAVATOR,
        brand="SANY",
        model="SY215C",
        serial_number="SN-h47",
        jurisdiction_code="429006101",
        high_risk=False,
    ),
    TerminalBound(machine_id=MACHINE, enterprise_id=ENTERPRISE, terminal_id=TERMINAL),
]


def _send(producer: KafkaProducer, names: dict[str, str], event: DomainEvent) -> None:
    """Published as a relay would, on this test's copy of the event's topic; acknowledged
    before the next one is sent, so the log records them in this order."""
    at = event.reported_at if isinstance(event, TerminalReported) else DECLARED
    meta = EventMeta(str(uuid.uuid4()), "/tianmen/h47", at, event.subject_id(), 1, "c", event.type)
    message = encode(event, meta)
    topic = names[message.topic]
    producer.send(topic, key=message.key, value=message.value, headers=message.headers).get(30)


def isolated(service: Service, suffix: str) -> tuple[Subscription, dict[str, str]]:
    """Telemetry's subscription on topics of this test's own, configured as telemetry's."""
    original = service.subscription
    assert original is not None
    names = {name: f"{name}.{suffix}" for name in original.topics}

    def renamed(topics: frozenset[str]) -> frozenset[str]:
        return frozenset(names[name] for name in topics)

    subscription = replace(
        original,
        topics=tuple(names.values()),
        idempotent_topics=renamed(original.idempotent_topics),
        waiting=renamed(original.waiting),
        waits_for=renamed(original.waits_for),
    )
    return subscription, names


def _service(directory: Path) -> Service:
    return bootstrap.build(Settings(database_url=f"sqlite:///{directory / 'telemetry.db'}"))


def _alerts(service: Service) -> list[tuple[str, str]]:
    with service.engine.connect() as conn:
        rows = conn.execute(select(alerts.c.rule, alerts.c.evidence)).all()
    return [(r.rule, str(r.evidence)) for r in rows]


def _states(service: Service) -> int:
    with service.engine.connect() as conn:
        return len(conn.execute(select(live_states.c.machine_id)).all())


def test_reports_wait_for_a_zone_in_flight_and_replay_equals_live(
    bootstrap_servers: str, tmp_path: Path
) -> None:
    (tmp_path / "live").mkdir()
    (tmp_path / "replay").mkdir()
    live = _service(tmp_path / "live")
    subscription, names = isolated(live, uuid.uuid4().hex[:8])
    topics = [Topic(names[t.name], t.key, 1, t.config) for t in map(by_name, names)]
    ensure_topics(bootstrap_servers, topics)
    producer = make_producer(bootstrap_servers, "h47-test")
    for event in [*GIVEN, _report(0), ZONE, _report(1), _report(2)]:
        _send(producer, names, event)
    producer.close()

    consumer = make_group_consumer(bootstrap_servers, f"h47-{uuid.uuid4().hex[:8]}", "h47-live")
    partitions = [TopicPartition(name, 0) for name in names.values()]
    consumer.assign_from_beginning(partitions)
    site = TopicPartition(names["registry.site"], 0)
    consumer.pause(site)  # the zone in flight: on the log, not fetched
    loop = EventConsumer(
        live.engine, subscription, consumer, make_producer(bootstrap_servers, "h47")
    )
    stop = threading.Event()
    report_tp = TopicPartition(names["telemetry.report"], 0)
    for _ in range(20):
        loop.poll_once(stop, timeout_ms=200)
        if consumer.position(TopicPartition(names["registry.machine"], 0)) >= 2:
            break
    for _ in range(5):  # the reports are fetched, and wait
        loop.poll_once(stop, timeout_ms=200)
    assert _states(live) == 0, "a report was applied before the zone recorded before it"
    assert report_tp in loop.hold.paused

    consumer.resume(site)  # the zone arrives
    for _ in range(40):
        loop.poll_once(stop, timeout_ms=200)
        if consumer.position(report_tp) >= 3:
            break
    assert consumer.position(report_tp) == 3, "the reports did not go once the zone was in"
    consumer.close()
    [(rule, evidence)] = _alerts(live)
    # Report 0 was recorded before the zone (though dated after it): judged without it.
    assert rule == "work_in_restricted_zone" and "h47-report-1" in evidence
    assert "h47-report-0" not in evidence

    replayed = _service(tmp_path / "replay")
    replay(replayed.engine, subscription, bootstrap_servers)
    assert _alerts(replayed) == _alerts(live)
    assert replayed.digest() == live.digest()
