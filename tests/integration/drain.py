"""Wait until the pipeline has drained, so that a test may count what did (not) happen.

"At least one violation arrived, so check there is exactly one" passes on a system that
applies a late duplicate: the duplicate may simply not have arrived yet. A test that asserts
absence or an exact count first waits until every consumer group's committed offset is the end
of each partition it reads and every service's outbox is published, with the topics' end offsets
unchanged across the check (so nothing was published while it looked).
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Iterator
from contextlib import contextmanager

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from sqlalchemy import Engine, create_engine, func, select
from tianmen_devkit.supervisor import SERVICES, Suite
from tianmen_runtime.db import outbox
from tianmen_runtime.service import Service

Offsets = dict[TopicPartition, int]


def _built(service: str) -> Service:
    built: Service = importlib.import_module(f"tianmen_{service}.bootstrap").build()
    return built


def consumer_groups() -> dict[str, tuple[str, ...]]:
    """Each consumer group of the suite and the topics it reads, from the services' own wiring."""
    return {
        built.subscription.name: built.subscription.topics
        for built in map(_built, SERVICES)
        if built.subscription is not None
    }


def outbox_owners() -> list[str]:
    """The services that publish through an outbox (the gateway has none)."""
    return [service for service in SERVICES if _built(service).produces]


class Pipeline:
    """What the drain looks at: the broker's offsets and each service's outbox."""

    def __init__(self, suite: Suite, admin: KafkaAdminClient, reader: KafkaConsumer) -> None:
        self.admin, self.reader = admin, reader
        self.groups = consumer_groups()
        self.engines: dict[str, Engine] = {
            service: create_engine(suite.database_url(service)) for service in outbox_owners()
        }

    def end_offsets(self) -> Offsets:
        partitions = []
        for topic in {topic for topics in self.groups.values() for topic in topics}:
            numbers = self.reader.partitions_for_topic(topic)
            assert numbers, f"no partitions known for {topic}: nothing would be waited for"
            partitions += [TopicPartition(topic, number) for number in sorted(numbers)]
        ends: Offsets = self.reader.end_offsets(partitions)
        return ends

    def lag(self, ends: Offsets) -> dict[str, int]:
        """Per group, how many records lie between its committed offsets and `ends`."""
        committed = self.admin.list_group_offsets({group: None for group in self.groups})
        behind = {}
        for group, topics in self.groups.items():
            done = {tp: max(meta.offset, 0) for tp, meta in committed.get(group, {}).items()}
            behind[group] = sum(
                end - done.get(tp, 0) for tp, end in ends.items() if tp.topic in topics
            )
        return behind

    def unpublished(self) -> dict[str, int]:
        query = select(func.count()).select_from(outbox).where(outbox.c.published.is_(False))
        pending = {}
        for service, engine in self.engines.items():
            with engine.connect() as conn:
                pending[service] = int(conn.execute(query).scalar_one())
        return pending

    def close(self) -> None:
        for engine in self.engines.values():
            engine.dispose()


@contextmanager
def _pipeline(suite: Suite) -> Iterator[Pipeline]:
    admin = KafkaAdminClient(bootstrap_servers=suite.bootstrap_servers)
    reader = KafkaConsumer(bootstrap_servers=suite.bootstrap_servers, group_id=None)
    pipeline = Pipeline(suite, admin, reader)
    try:
        yield pipeline
    finally:
        pipeline.close()
        reader.close()
        admin.close()


def wait_until_drained(suite: Suite, timeout: float = 90) -> None:
    """Return once every group's lag is 0 and every outbox empty, with no record published
    meanwhile; fail after `timeout` seconds naming what was still behind."""
    deadline = time.monotonic() + timeout
    last: object = None
    with _pipeline(suite) as pipeline:
        while time.monotonic() < deadline:
            before = pipeline.end_offsets()
            lag, pending = pipeline.lag(before), pipeline.unpublished()
            quiet = not any(lag.values()) and not any(pending.values())
            if quiet and pipeline.end_offsets() == before:
                return
            last = {"lag": lag, "outbox": pending}
            time.sleep(0.2)
    raise AssertionError(f"pipeline not drained after {timeout}s: {last}")
