"""Telemetry's pipeline as the city runs it: N worker processes in one consumer group, one store.

Each worker is telemetry's real subscription through the runtime's consumer loop (its own
process, engine, Kafka consumer and producer), as `python -m tianmen_telemetry worker` runs it.
The parent waits until the group has committed every partition's end offset, then stops them.

What is measured (`Run`): the sustained rate = all events / wall time from the first fetch any
worker made to the last commit any worker made (a second member's join, a rebalance, the
hold's waits are all inside it), and the CPU per event summed over the workers (process time
from each worker's first fetch to its last commit: the client's CPU, not PostgreSQL's server).
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from multiprocessing.synchronize import Event as StopEvent
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.errors import KafkaError
from tianmen_runtime.consumer import EventConsumer
from tianmen_runtime.db import make_engine
from tianmen_runtime.group_consumer import GroupConsumer, make_group_consumer
from tianmen_runtime.kafka_io import make_producer
from tianmen_runtime.process import started_frozen
from tianmen_telemetry.bootstrap import build
from tianmen_telemetry.config import Settings

Span = tuple[float, float, float, float, int]
"""A worker's (first fetch, last commit) on the monotonic clock, CPU at each, records fetched."""


@dataclass(frozen=True)
class Run:
    workers: int
    events: int
    seconds: float
    cpu_us_per_event: float
    fetched: int  # records the workers fetched, redeliveries after a rebalance included

    @property
    def rate(self) -> float:
        return self.events / self.seconds


class _FirstFetch:
    """Wraps a consumer's `poll` to note when records first came (wall and CPU)."""

    def __init__(self, consumer: GroupConsumer) -> None:
        self.poll = consumer.poll
        self.at: tuple[float, float] | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        batch = self.poll(*args, **kwargs)
        if batch and self.at is None:
            self.at = (time.monotonic(), time.process_time())
        return batch


def work(bootstrap: str, url: str, group: str, index: int, stop: StopEvent, out: Any) -> None:
    """One worker process: apply until told to stop, then put its `Span` (or None) on `out`."""
    service = build(Settings(database_url=url, kafka_bootstrap_servers=bootstrap))
    assert service.subscription is not None
    consumer = make_group_consumer(bootstrap, group, f"bench-worker-{index}", 500)
    first = _FirstFetch(consumer)
    consumer.poll = first  # type: ignore[method-assign]
    engine = make_engine(url, service.metadata, create_tables=False)
    producer = make_producer(bootstrap, f"bench-worker-{index}")
    loop = EventConsumer(engine, service.subscription, consumer, producer)
    never = threading.Event()  # the loop's own stop: a transaction is never cut short
    loop.subscribe(never)  # as the service does: its topics' partitions known before joining
    last, fetched = (0.0, 0.0), 0
    progress = _Progress(index, loop)
    with started_frozen():  # as `process.run` starts the service's loops
        while not stop.is_set():
            polled = loop.poll_once(never, timeout_ms=200)
            fetched += polled
            if polled and not loop.uncommitted:
                last = (time.monotonic(), time.process_time())
            progress.note(polled, committed=bool(polled) and not loop.uncommitted)
    consumer.close()
    if first.at is None:  # no partition of the group came to this one
        out.put(None)
        return
    last = last if last[0] else first.at  # what it fetched was committed by another member
    out.put((first.at[0], last[0], first.at[1], last[1], fetched))


class _Progress:
    """A worker's polls and commits, and what its hold keeps paused, on stderr every
    `every_s`: a stalled run shows which side stopped (nothing fetched, all held, commits
    refused) without a debugger."""

    def __init__(self, index: int, loop: EventConsumer, every_s: float = 15.0) -> None:
        self.index, self.loop, self.every_s = index, loop, every_s
        self.polls = self.records = self.commits = 0
        self.said_at = time.monotonic()

    def note(self, polled: int, committed: bool) -> None:
        self.polls, self.records = self.polls + 1, self.records + polled
        self.commits += committed
        if time.monotonic() - self.said_at < self.every_s:
            return
        self.said_at = time.monotonic()
        consumer, hold = self.loop.consumer, self.loop.hold
        print(
            f"worker {self.index}: {self.polls} polls, {self.records:,} records, "
            f"{self.commits} commits, {len(consumer.assignment())} partitions assigned, "
            f"{len(hold.paused)} held, cpu {time.process_time():.1f} s",
            file=sys.stderr,
            flush=True,
        )


def committed(admin: KafkaAdminClient, group: str, ends: dict[TopicPartition, int]) -> int:
    """How many of the records up to `ends` the group has committed."""
    try:
        offsets = admin.list_group_offsets({group: None}).get(group, {})
    except KafkaError:  # no coordinator yet (a fresh broker, a group not formed): none
        return 0
    return sum(min(offsets[tp].offset, end) for tp, end in ends.items() if tp in offsets)


def run(bootstrap: str, url: str, workers: int, stalled_s: float = 180) -> Run:
    """N workers in a fresh group over telemetry's (pre-filled) topics into the store at `url`;
    fails if the group commits nothing new for `stalled_s` seconds."""
    service = build(Settings(database_url=url))
    assert service.subscription is not None
    make_engine(url, service.metadata).dispose()  # the tables, once, before the workers start
    topics = list(service.subscription.topics)
    reader = KafkaConsumer(bootstrap_servers=bootstrap)
    partitions = [TopicPartition(t, p) for t in topics for p in reader.partitions_for_topic(t)]
    ends = reader.end_offsets(partitions)
    reader.close()
    group = f"bench-workers-{uuid.uuid4()}"
    context = multiprocessing.get_context("spawn")
    stop, out = context.Event(), context.Queue()
    processes = [
        context.Process(target=work, args=(bootstrap, url, group, i, stop, out))
        for i in range(workers)
    ]
    for process in processes:
        process.start()
    try:
        _await_commits(bootstrap, group, ends, processes, stalled_s)
        stop.set()
        spans = [s for s in (out.get(timeout=120) for _ in processes) if s is not None]
    finally:
        stop.set()
        for process in processes:
            process.join(timeout=60)
    return _measured(workers, sum(ends.values()), spans)


def _await_commits(
    bootstrap: str,
    group: str,
    ends: dict[TopicPartition, int],
    processes: list[Any],
    stalled_s: float,
) -> None:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    total, done, moved_at = sum(ends.values()), -1, time.monotonic()
    try:
        while done < total:
            now, latest = time.monotonic(), committed(admin, group, ends)
            done, moved_at = latest, now if latest > done else moved_at
            if now - moved_at > stalled_s or not all(p.is_alive() for p in processes):
                raise RuntimeError(f"workers stopped or stalled at {done:,} of {total:,} records")
            time.sleep(0.2)
    finally:
        admin.close()


def _measured(workers: int, events: int, spans: list[Span]) -> Run:
    started, ended = min(s[0] for s in spans), max(s[1] for s in spans)
    cpu = sum(s[3] - s[2] for s in spans)
    fetched = sum(s[4] for s in spans)
    return Run(workers, events, ended - started, cpu / events * 1e6, fetched)
