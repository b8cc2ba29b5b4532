"""Members of one consumer group applying a subscription's pre-filled topics, as several
workers of a service do: each member a thread with its own consumer, engine and producer, the
runtime's consumer loop; a member's partitions stay paused until every member holds part of
them (the broker rebalances at once, `group.initial.rebalance.delay.ms` 0), so none works
alone; returns once the group has committed every partition's end."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.errors import KafkaError
from tianmen_runtime.consumer import EventConsumer
from tianmen_runtime.db import make_engine
from tianmen_runtime.group_consumer import GroupConsumer, make_group_consumer
from tianmen_runtime.kafka_io import make_producer
from tianmen_runtime.projection import Subscription
from tianmen_telemetry import bootstrap
from tianmen_telemetry.config import Settings

from tests.integration.helpers import eventually


class _Settling:
    """Pauses what the group assigns until `settled`: no member works alone before the other
    has joined (the broker rebalances at once, `group.initial.rebalance.delay.ms` 0)."""

    def __init__(self, settled: threading.Event) -> None:
        self.settled = settled
        self.consumer: GroupConsumer | None = None

    def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        return None

    def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        if not self.settled.is_set() and self.consumer is not None and assigned:
            self.consumer.pause(*assigned)


class Member(threading.Thread):
    def __init__(self, bootstrap_servers: str, group: str, url: str, subscription: Subscription):
        super().__init__(daemon=True)
        self.settled, self.done = threading.Event(), threading.Event()
        name = f"h53-{uuid.uuid4().hex[:6]}"
        self.consumer = make_group_consumer(bootstrap_servers, group, name)
        self.listener = _Settling(self.settled)
        self.listener.consumer = self.consumer
        service = bootstrap.build(Settings(database_url=url))
        engine = make_engine(url, service.metadata, create_tables=False)
        producer = make_producer(bootstrap_servers, name)
        self.loop = EventConsumer(engine, subscription, self.consumer, producer)
        # metadata first, as the service joins (decision 85)
        self.loop.subscribe(threading.Event(), listener=self.listener)
        self.assigned: set[TopicPartition] = set()
        self.fetched = 0
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            self._settle()
            never = threading.Event()
            while not self.done.is_set():
                self.fetched += self.loop.poll_once(never, timeout_ms=200)
        except BaseException as exc:  # surfaced by the test
            self.failure = exc
        finally:
            self.consumer.close()

    def _settle(self) -> None:
        while not self.settled.is_set():
            for tp, records in self.consumer.poll(timeout_ms=100).items():
                self.consumer.seek(tp, records[0].offset)  # fetched before a pause: again later
            self.assigned = set(self.consumer.assignment())
        self.consumer.resume(*self.consumer.assignment())


def apply_in_group(
    bootstrap_servers: str, url: str, subscription: Subscription, workers: int
) -> list[Member]:
    """`workers` members of a fresh group apply the whole log; returns once all is committed."""
    group = f"h53-{uuid.uuid4().hex[:8]}"
    members = [Member(bootstrap_servers, group, url, subscription) for _ in range(workers)]
    reader = KafkaConsumer(bootstrap_servers=bootstrap_servers)
    partitions = {
        TopicPartition(t, p) for t in subscription.topics for p in reader.partitions_for_topic(t)
    }
    ends = reader.end_offsets(list(partitions))
    reader.close()
    for member in members:
        member.start()

    def settled() -> bool | None:
        held = [member.assigned for member in members]
        whole = all(held) and set().union(*held) == partitions
        return (whole and sum(map(len, held)) == len(partitions)) or None

    eventually(settled, timeout=120, what="every member holding part of the partitions")
    for member in members:
        member.settled.set()
    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers)
    try:
        eventually(_committed(admin, group, ends, members), timeout=180, what="the log applied")
    finally:
        admin.close()
        for member in members:
            member.done.set()
            member.join(timeout=60)
    return members


def _committed(
    admin: KafkaAdminClient, group: str, ends: dict[TopicPartition, int], members: list[Member]
) -> Callable[[], bool | None]:
    def check() -> bool | None:
        for member in members:
            if member.failure is not None:
                raise member.failure
        try:
            committed = admin.list_group_offsets({group: None}).get(group, {})
        except KafkaError:
            return None
        done = all(tp in committed and committed[tp].offset >= end for tp, end in ends.items())
        return done or None

    return check
