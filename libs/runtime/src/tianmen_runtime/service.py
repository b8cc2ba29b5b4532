"""A service's composition and its command line: ``python -m tianmen_<name> serve|api|worker|...``.

`serve` runs the HTTP API, the outbox relay and the consumer in one process (what `make run`
starts); `api`, `relay` and `worker` run one part each, for scaling them apart on Kubernetes.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine, MetaData
from tianmen_events.topics import Topic, by_name, dead_letter

from tianmen_runtime import logs
from tianmen_runtime.consumer import EventConsumer
from tianmen_runtime.db import make_engine
from tianmen_runtime.digest import EVENT_LOG, DigestTable, state_digest
from tianmen_runtime.kafka_io import ensure_topics, make_consumer, make_producer
from tianmen_runtime.outbox_relay import OutboxRelay
from tianmen_runtime.projection import Projector
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
    projector: Projector | None = None
    digest_tables: tuple[DigestTable, ...] = ()
    event_log_digest: DigestTable = EVENT_LOG
    ready: threading.Event = field(default_factory=threading.Event)

    @property
    def source(self) -> str:
        return f"/tianmen/{self.name}"

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url, self.metadata)

    @cached_property
    def producer(self):  # type: ignore[no-untyped-def]
        return make_producer(self.settings.kafka_bootstrap_servers, f"{self.name}-producer")

    def digest(self, engine: Engine | None = None) -> str:
        tables = (self.event_log_digest, *self.digest_tables)
        return state_digest(engine or self.engine, tables)

    def prepare(self) -> None:
        # Consumed topics are created too, so a consumer never starts ahead of its producer.
        topics = list(self.produces)
        if self.projector:
            topics += [by_name(name) for name in self.projector.topics]
            topics.append(dead_letter(self.projector.name))
        if not topics:
            return  # nothing to create: a service without topics (the gateway) needs no broker
        ensure_topics(self.settings.kafka_bootstrap_servers, topics, self.settings.topic_partitions)

    def relay_loop(self, stop: threading.Event) -> None:
        OutboxRelay(self.engine, self.producer, self.settings.relay_batch_size).run(stop)

    def worker_loop(self, stop: threading.Event) -> None:
        assert self.projector is not None
        consumer = make_consumer(
            self.settings.kafka_bootstrap_servers,
            self.projector.name,
            f"{self.name}-worker",
            self.settings.consumer_batch_size,
        )
        EventConsumer(
            self.engine,
            self.projector,
            consumer,
            self.producer,
            self.settings.consumer_transaction_size,
        ).run(stop)

    def loops(self, parts: Sequence[str]) -> list[Loop]:
        chosen: list[Loop] = []
        if "relay" in parts and self.produces:
            chosen.append(self.relay_loop)
        if "worker" in parts and self.projector:
            chosen.append(self.worker_loop)
        return chosen

    def run(self, parts: Sequence[str]) -> None:
        self.engine  # noqa: B018 - create tables before anything listens
        self.prepare()
        stop = threading.Event()
        threads = [
            threading.Thread(target=_guard(loop, stop), daemon=True) for loop in self.loops(parts)
        ]
        for thread in threads:
            thread.start()
        self.ready.set()
        try:
            if "api" in parts:
                self._serve_http()
            else:
                _wait_for_signal(stop)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=10)

    def _serve_http(self) -> None:
        config = uvicorn.Config(
            self.build_api(self),
            host=self.settings.http_host,
            port=self.settings.http_port,
            log_config=None,
            access_log=False,
        )
        uvicorn.Server(config).run()

    def replay_into(
        self, database_url: str, as_of: datetime | None = None
    ) -> tuple[str, dict[str, int]]:
        assert self.projector is not None, f"{self.name} derives no state from events"
        engine = make_engine(database_url, self.metadata)
        result = replay(engine, self.projector, self.settings.kafka_bootstrap_servers, as_of)
        return self.digest(engine), result.outcomes


def _guard(loop: Loop, stop: threading.Event) -> Callable[[], None]:
    def run() -> None:
        try:
            loop(stop)
        except Exception:
            log.exception("background loop died")
            stop.set()

    return run


def _wait_for_signal(stop: threading.Event) -> None:
    import signal

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()


def main(service: Service, argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m tianmen_{service.name}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("serve", "api", "relay", "worker"):
        sub.add_parser(name)
    sub.add_parser("digest", help="print the digest of the live store")
    rp = sub.add_parser("replay", help="rebuild state from offset 0 into a fresh store")
    rp.add_argument("--database-url", help="fresh store (default: a temporary SQLite file)")
    rp.add_argument("--as-of", type=datetime.fromisoformat, help="leave out events after this time")
    args = parser.parse_args(argv)
    logs.configure(service.name, service.settings.log_level)
    if args.command == "digest":
        print(service.digest())
    elif args.command == "replay":
        _replay(service, args.database_url, args.as_of)
    else:
        parts = ("api", "relay", "worker") if args.command == "serve" else (args.command,)
        service.run(parts)


def _replay(service: Service, database_url: str | None, as_of: datetime | None) -> None:
    if database_url is None:
        folder = Path(tempfile.mkdtemp(prefix=f"tianmen-{service.name}-replay-"))
        database_url = f"sqlite:///{folder / 'replay.db'}"
    digest, outcomes = service.replay_into(database_url, as_of)
    print(f"replayed into {database_url}")
    print("events: " + ", ".join(f"{k}={v}" for k, v in sorted(outcomes.items())))
    print(f"digest: {digest}")
