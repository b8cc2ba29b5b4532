"""Two telemetry workers in one consumer group derive what one worker derives (issue 8: the city
runs several; `make bench-telemetry` measures them).

Real broker, telemetry's subscription and consumer loop, on topics of this test's own with
telemetry's partition counts and configuration (LogAppendTime included). The same log — three
enterprises' sites, twelve bound machines, reports by day and into the night, inside and outside
their sites, some going idle — is applied once by one member and once by two members of a group
sharing one store (the backend under test), each member holding part of every topic's partitions
(a member's partitions are paused until the group has settled, so both really work). Both stores
hold the same alerts (rule, machine, evidence, cleared or not) and the same digest. A member
joining a group mid-way takes over past what the other applied (decision 113).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import KafkaError, KafkaException
from kafka import TopicPartition
from sqlalchemy import select
from tianmen_events import DomainEvent, EventMeta, encode
from tianmen_events.registry import (
    Hours,
    MachineKind,
    MachineRegistered,
    TerminalBound,
    WorkSiteRegistered,
)
from tianmen_events.telemetry import TerminalReported
from tianmen_events.topics import Topic, by_name
from tianmen_runtime import consumer as consumer_module
from tianmen_runtime.consumer import EventConsumer
from tianmen_runtime.db import make_engine
from tianmen_runtime.fetch import Record
from tianmen_runtime.group_consumer import make_group_consumer
from tianmen_runtime.kafka_io import ensure_topics, make_producer
from tianmen_runtime.projection import Outcome, Subscription, apply_batch
from tianmen_runtime.service import Service
from tianmen_telemetry import bootstrap
from tianmen_telemetry.adapters.orm import alerts
from tianmen_telemetry.config import Settings

from tests.integration.group import apply_in_group
from tests.integration.test_telemetry_recorded_order import _box, isolated

pytestmark = pytest.mark.integration

EVENING = datetime(2026, 5, 11, 12, 0, tzinfo=UTC)  # 20:00 in Tianmen: night begins at 22:00
ENTERPRISES, MACHINES_EACH, REPORTS_EACH = 3, 4, 9


def _site_centre(e: int) -> tuple[float, float]:
    return 30.65, 113.10 + 0.05 * e


def _word() -> Iterator[DomainEvent]:
    for e in range(ENTERPRISES):
        yield WorkSiteRegistered(
            site_id=f"h53-site-{e}",
            enterprise_id=f"h53-e{e}",
            name=f"site {e}",
            jurisdiction_code="429006101",
            boundary=_box(*_site_centre(e), 0.005),
            permitted_hours=(Hours(start="06:00", end="22:00"),),
        )
        for m in range(MACHINES_EACH):
            machine = f"h53-m{e}-{m}"
            yield MachineRegistered(
                machine_id=machine,
                enterprise_id=f"h53-e{e}",
                kind=MachineKind.EXCAVATOR,
                brand="SANY",
                model="SY215C",
                serial_number=f"SN-{machine}",
                jurisdiction_code="429006101",
                high_risk=False,
            )
            yield TerminalBound(machine_id=machine, enterprise_id=f"h53-e{e}", terminal_id=machine)


def _reports() -> Iterator[TerminalReported]:
    """Every 20 minutes from 20:00 local: odd machines stand outside their site, machine 3 of
    each enterprise goes idle from its 6th report on (its alerts clear)."""
    for n in range(REPORTS_EACH):
        for e in range(ENTERPRISES):
            latitude, longitude = _site_centre(e)
            for m in range(MACHINES_EACH):
                machine = f"h53-m{e}-{m}"
                yield TerminalReported(
                    report_id=f"h53-report-{machine}-{n}",
                    terminal_id=machine,
                    machine_id=machine,
                    enterprise_id=f"h53-e{e}",
                    reported_at=EVENING + timedelta(minutes=20 * n),
                    latitude=latitude + (0.02 if m % 2 else 0.0),
                    longitude=longitude,
                    working=not (m == 3 and n >= 5),
                )


def _publish(bootstrap_servers: str, names: dict[str, str], events: Iterable[DomainEvent]) -> None:
    producer = make_producer(bootstrap_servers, "h53-test")
    for event in events:
        at = event.reported_at if isinstance(event, TerminalReported) else EVENING
        meta = EventMeta(str(uuid.uuid4()), "/tianmen/h53", at, event.subject_id(), 1, "c")
        message = encode(event, meta)
        topic = names[message.topic]
        producer.send(topic, key=message.key, value=message.value, headers=message.headers)
    producer.flush()
    producer.close()


def _alerts(service: Service) -> list[tuple[str, str, str, str, bool]]:
    with service.engine.connect() as conn:
        rows = conn.execute(select(alerts)).mappings().all()
    found = [
        (r["alert_id"], r["rule"], r["machine_id"], str(r["evidence"]), r["cleared_at"] is None)
        for r in rows
    ]
    return sorted(found)


def _store(backend: str, request: pytest.FixtureRequest, folder: Path, name: str) -> Service:
    if backend == "sqlite":
        url = f"sqlite:///{folder / name}.db"
    else:
        create: Callable[[str], str] = request.getfixturevalue("new_postgres_database")
        url = create(f"h53_{name}")
    service = bootstrap.build(Settings(database_url=url))
    make_engine(url, service.metadata).dispose()
    return service


def test_two_workers_in_a_group_derive_what_one_derives(
    bootstrap_servers: str, backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    one = _store(backend, request, tmp_path, "one")
    two = _store(backend, request, tmp_path, "two")
    subscription, names = isolated(one, uuid.uuid4().hex[:8])
    topics = [Topic(names[t.name], t.key, t.partitions, t.config) for t in map(by_name, names)]
    ensure_topics(bootstrap_servers, topics)
    _publish(bootstrap_servers, names, _word())
    _publish(bootstrap_servers, names, _reports())

    apply_in_group(bootstrap_servers, str(one.engine.url), subscription, workers=1)
    pair = apply_in_group(bootstrap_servers, str(two.engine.url), subscription, workers=2)

    assert all(member.fetched for member in pair), "a member of the pair did no work"
    found = _alerts(one)
    rules = {rule for _, rule, *_ in found}
    assert {"night_work", "work_outside_site"} <= rules, rules
    assert any(open_ for *_, open_ in found) and not all(open_ for *_, open_ in found)
    assert _alerts(two) == found
    assert two.digest() == one.digest()


class _Revoked:
    """Notes that the group took partitions from the member (a rebalance)."""

    def __init__(self) -> None:
        self.seen = threading.Event()

    def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        return None

    def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        if revoked:
            self.seen.set()


def _member(
    bootstrap_servers: str, group: str, service: Service, subscription: Subscription
) -> tuple[EventConsumer, _Revoked]:
    name = f"h95-{uuid.uuid4().hex[:6]}"
    engine = make_engine(str(service.engine.url), service.metadata, create_tables=False)
    consumer = make_group_consumer(bootstrap_servers, group, name, 20)
    loop = EventConsumer(engine, subscription, consumer, make_producer(bootstrap_servers, name))
    revoked = _Revoked()
    loop.subscribe(threading.Event(), listener=revoked)
    return loop, revoked


def test_a_member_joining_mid_way_takes_over_past_what_the_first_applied(
    bootstrap_servers: str,
    backend: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first member applies part of the log with its commits refused (as in a group
    rebalancing), so what it applied is in the store and not in the group's commits; a second
    member joins. The revoke served in the first member's next poll commits what it applied, so
    the new owner of those partitions starts past it: no record is applied by both (none
    handed to the store twice), none is lost, and the store derives what one worker derives."""
    one = _store(backend, request, tmp_path, "one")
    pair = _store(backend, request, tmp_path, "pair")
    subscription, names = isolated(one, uuid.uuid4().hex[:8])
    topics = [Topic(names[t.name], t.key, t.partitions, t.config) for t in map(by_name, names)]
    ensure_topics(bootstrap_servers, topics)
    _publish(bootstrap_servers, names, _word())
    _publish(bootstrap_servers, names, _reports())
    apply_in_group(bootstrap_servers, str(one.engine.url), subscription, workers=1)

    applied: list[tuple[str, int, int]] = []

    def noting(engine: Any, sub: Subscription, records: Sequence[Record]) -> list[Outcome]:
        outcomes = apply_batch(engine, sub, records)  # noted once it returned: a retry is not
        applied.extend((r.topic, r.partition, r.offset) for r in records)
        return outcomes

    monkeypatch.setattr(consumer_module, "apply_batch", noting)
    group, never = f"h95-{uuid.uuid4().hex[:8]}", threading.Event()
    first, first_revoked = _member(bootstrap_servers, group, pair, subscription)
    refused = first.consumer.commit

    def refuse_until_revoked() -> None:
        if not first_revoked.seen.is_set():
            raise KafkaException(KafkaError(KafkaError.REBALANCE_IN_PROGRESS))
        refused()

    monkeypatch.setattr(first.consumer, "commit", refuse_until_revoked)
    deadline = time.monotonic() + 60
    while len(applied) < 60 and time.monotonic() < deadline:
        first.poll_once(never, timeout_ms=200)
    partitions = sorted(first.consumer.assignment())
    assert len(applied) >= 60 and first.uncommitted
    assert set(first.consumer.committed(partitions).values()) == {0}  # none in the group's

    second, _ = _member(bootstrap_servers, group, pair, subscription)
    ends = first.consumer.end_offsets(partitions)
    shared = done = False
    deadline = time.monotonic() + 120
    try:
        while not done and time.monotonic() < deadline:
            for loop in (first, second):
                loop.poll_once(never, timeout_ms=100)
            shared = shared or bool(first.consumer.assignment() and second.consumer.assignment())
            done = shared and second.consumer.committed(partitions) == ends
    finally:
        for loop in (first, second):
            loop.consumer.close()
    assert shared, "the second member was never given partitions"
    assert done, "the log was not all applied"
    assert len(applied) == len(set(applied)), "a record was applied by both members"
    assert len(applied) == sum(ends.values())
    assert _alerts(pair) == _alerts(one)
    assert pair.digest() == one.digest()
