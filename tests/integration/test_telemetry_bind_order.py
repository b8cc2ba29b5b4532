"""A terminal moved from one machine to another is two binds on two partitions of
`registry.machine`: live, a replay, and a consumer that fetches the later bind's partition
first all derive the same bindings and digest (decision 82).

Real broker, telemetry's own subscription and consumer loop on topics of this test's own
(configured as telemetry's, `registry.machine` with two partitions: one per machine).
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kafka import KafkaProducer, TopicPartition
from tianmen_events import DomainEvent, EventMeta, encode
from tianmen_events.registry import MachineRegistered, TerminalBound
from tianmen_events.topics import Topic, by_name
from tianmen_runtime.consumer import EventConsumer
from tianmen_runtime.group_consumer import GroupConsumer, make_group_consumer
from tianmen_runtime.kafka_io import ensure_topics, make_producer
from tianmen_runtime.projection import Subscription
from tianmen_runtime.replay import replay
from tianmen_runtime.service import Service
from tianmen_telemetry import bootstrap
from tianmen_telemetry.adapters.queries import bindings_for
from tianmen_telemetry.config import Settings
from tianmen_telemetry.domain.bindings import Holder

from tests.integration.test_telemetry_recorded_order import isolated

from .telemetry_log import machine_registered

T0 = datetime(2026, 5, 10, 0, 0, tzinfo=UTC)
ENTERPRISE = "h54-enterprise"
OLD, NEW = "h54-old", "h54-new"
T1, T2, TN = "13854000001", "13854000002", "13854000003"
OLD_PARTITION, NEW_PARTITION = 0, 1


def _registered(machine_id: str) -> MachineRegistered:
    return machine_registered(machine_id, ENTERPRISE)


def _bound(terminal_id: str, machine_id: str) -> TerminalBound:
    return TerminalBound(machine_id=machine_id, enterprise_id=ENTERPRISE, terminal_id=terminal_id)


# (event, its time in minutes after T0), in the order the registry said them.
SAID: list[tuple[DomainEvent, int]] = [
    (_registered(OLD), 0),
    (_registered(NEW), 0),
    (_bound(T1, OLD), 1),
    (_bound(TN, NEW), 2),
    (_bound(T2, OLD), 60),  # frees T1
    (_bound(T1, NEW), 120),  # T1 moves to the new machine
]


def _send(producer: KafkaProducer, names: dict[str, str], event: DomainEvent, at: int) -> None:
    """On the machine's partition of this test's `registry.machine`, acknowledged before the
    next one is sent."""
    meta = EventMeta(
        str(uuid.uuid4()), "/tianmen/h54", T0 + timedelta(minutes=at), event.subject_id(), 1, "c"
    )
    message = encode(event, meta)
    partition = OLD_PARTITION if event.subject_id() == OLD else NEW_PARTITION
    producer.send(
        names[message.topic],
        key=message.key,
        value=message.value,
        headers=message.headers,
        partition=partition,
    ).get(30)


def _service(directory: Path) -> Service:
    directory.mkdir()
    return bootstrap.build(Settings(database_url=f"sqlite:///{directory / 'telemetry.db'}"))


def _consume(
    service: Service,
    subscription: Subscription,
    bootstrap_servers: str,
    names: dict[str, str],
    first: int | None,
) -> None:
    """A consumer loop over every partition; `first`: fetch that partition of
    `registry.machine` to its end before the other one is fetched at all."""
    consumer = make_group_consumer(bootstrap_servers, f"h54-{uuid.uuid4().hex[:8]}", "h54")
    partitions = [
        TopicPartition(topic, p)
        for topic in names.values()
        for p in sorted(consumer.partitions_for_topic(topic) or ())
    ]
    consumer.assign_from_beginning(partitions)
    producer = make_producer(bootstrap_servers, "h54-dlq")
    loop = EventConsumer(service.engine, subscription, consumer, producer)
    machine = names["registry.machine"]
    others = [TopicPartition(machine, p) for p in (OLD_PARTITION, NEW_PARTITION) if p != first]
    if first is not None:
        consumer.pause(*others)
        _poll_until(loop, consumer, TopicPartition(machine, first), 3)
        consumer.resume(*others)
    for tp in (TopicPartition(machine, OLD_PARTITION), TopicPartition(machine, NEW_PARTITION)):
        _poll_until(loop, consumer, tp, 3)
    consumer.close()
    producer.close()


def _poll_until(loop: EventConsumer, consumer: GroupConsumer, tp: TopicPartition, end: int) -> None:
    stop = threading.Event()
    for _ in range(60):
        if consumer.position(tp) >= end:
            return
        loop.poll_once(stop, timeout_ms=200)
    raise AssertionError(f"{tp} was not consumed to {end}")


def _bindings(service: Service) -> dict[str, tuple[str | None, list[Holder | None]]]:
    """Each bound terminal's machine now, and who held it before, between and after the move."""
    found = bindings_for(service.engine, [T1, T2, TN])
    moments = [T0 + timedelta(minutes=m) for m in (30, 90, 121)]
    return {
        terminal: (binding.machine_id, [binding.holder_at(m) for m in moments])
        for terminal, binding in found.items()
        if binding.bound_now
    }


def test_a_moved_terminal_gives_one_history_whichever_partition_is_fetched_first(
    bootstrap_servers: str, tmp_path: Path
) -> None:
    live = _service(tmp_path / "live")
    subscription, names = isolated(live, uuid.uuid4().hex[:8])
    topics = [
        Topic(names[t.name], t.key, 2 if t.name == "registry.machine" else 1, t.config)
        for t in map(by_name, names)
    ]
    ensure_topics(bootstrap_servers, topics)
    producer = make_producer(bootstrap_servers, "h54-test")
    for event, at in SAID:
        _send(producer, names, event, at)
    producer.close()

    _consume(live, subscription, bootstrap_servers, names, first=OLD_PARTITION)
    later_first = _service(tmp_path / "later-first")
    _consume(later_first, subscription, bootstrap_servers, names, first=NEW_PARTITION)
    replayed = _service(tmp_path / "replay")
    replay(replayed.engine, subscription, bootstrap_servers)

    old, new = Holder(OLD, ENTERPRISE), Holder(NEW, ENTERPRISE)
    # T1 on the old machine, freed when it took T2, then on the new one; TN freed by T1.
    assert _bindings(live) == {T1: (NEW, [old, None, new]), T2: (OLD, [old, old, old])}
    assert _bindings(later_first) == _bindings(replayed) == _bindings(live)
    assert later_first.digest() == replayed.digest() == live.digest()
