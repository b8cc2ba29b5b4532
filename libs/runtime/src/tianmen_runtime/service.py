"""A service's composition: its store, producer, topics, subscription, digest and HTTP app.

`bootstrap.build()` in every service returns one; `tianmen_runtime.cli` runs it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, partial

from fastapi import FastAPI
from sqlalchemy import Engine, MetaData
from tianmen_events.topics import Topic, by_name, dead_letter

from tianmen_runtime.consumer import EventConsumer
from tianmen_runtime.db import make_engine
from tianmen_runtime.digest import EVENT_LOG, DigestTable, state_digest
from tianmen_runtime.group_consumer import make_group_consumer
from tianmen_runtime.kafka_io import ensure_topics, make_producer
from tianmen_runtime.outbox_relay import OutboxRelay
from tianmen_runtime.projection import Subscription
from tianmen_runtime.redrive import RedriveResult, redrive
from tianmen_runtime.replay import replay
from tianmen_runtime.settings import ServiceSettings

log = logging.getLogger(__name__)
Loop = Callable[[threading.Event], None]


@dataclass
class Service:
    name: str
    settings: ServiceSettings
    metadata: MetaData
    build_api: Callable[[Service], FastAPI]
    produces: tuple[Topic, ...] = ()
    subscription: Subscription | None = None
    digest_tables: tuple[DigestTable, ...] = ()
    event_log_digest: DigestTable = EVENT_LOG
    ready: threading.Event = field(default_factory=threading.Event)
    verifies_identity: bool = True
    """Its API answers only what the gateway vouches for (the gateway itself: False)."""

    @property
    def source(self) -> str:
        return f"/tianmen/{self.name}"

    @cached_property
    def engine(self) -> Engine:
        return make_engine(
            self.settings.database_url, self.metadata, create_tables=self.settings.create_tables
        )

    @cached_property
    def producer(self):  # type: ignore[no-untyped-def]
        return make_producer(
            self.settings.kafka_bootstrap_servers,
            f"{self.name}-producer",
            self.settings.kafka_delivery_timeout_s,
        )

    def digest(self, engine: Engine | None = None) -> str:
        tables = (self.event_log_digest, *self.digest_tables)
        return state_digest(engine or self.engine, tables)

    def prepare(self) -> None:
        # Consumed topics are created too, so a consumer never starts ahead of its producer.
        topics = list(self.produces)
        if self.subscription:
            topics += [by_name(name) for name in self.subscription.topics]
            topics.append(dead_letter(self.subscription.name))
        if not topics:
            return  # nothing to create: a service without topics (the gateway) needs no broker
        ensure_topics(self.settings.kafka_bootstrap_servers, topics, self.settings.topic_partitions)

    def relay_loop(self, stop: threading.Event) -> None:
        OutboxRelay(self.engine, self.producer, self.settings.relay_batch_size).run(stop)

    def worker_loop(self, stop: threading.Event) -> None:
        assert self.subscription is not None
        consumer = partial(
            make_group_consumer,
            self.settings.kafka_bootstrap_servers,
            self.subscription.name,
            f"{self.name}-worker",
            self.settings.consumer_batch_size,
            self.settings.consumer_instance_id,
            self.settings.consumer_fetch_min_bytes,
            self.settings.consumer_fetch_max_wait_ms,
        )
        EventConsumer(
            self.engine,
            self.subscription,
            consumer(),
            self.producer,
            self.settings.consumer_transaction_size,
            renew=consumer,
        ).run(stop)

    def loops(self, parts: Sequence[str]) -> list[Loop]:
        chosen: list[Loop] = []
        if "relay" in parts and self.produces:
            chosen.append(self.relay_loop)
        if "worker" in parts and self.subscription:
            chosen.append(self.worker_loop)
        return chosen

    def redrive(self) -> RedriveResult:
        assert self.subscription is not None, f"{self.name} consumes nothing"
        bootstrap = self.settings.kafka_bootstrap_servers
        return redrive(self.engine, self.subscription, self.producer, bootstrap)

    def replay_into(
        self, database_url: str, as_of: datetime | None = None
    ) -> tuple[str, dict[str, int]]:
        assert self.subscription is not None, f"{self.name} derives no state from events"
        engine = make_engine(database_url, self.metadata)
        try:
            result = replay(engine, self.subscription, self.settings.kafka_bootstrap_servers, as_of)
            return self.digest(engine), result.outcomes
        finally:
            engine.dispose()
