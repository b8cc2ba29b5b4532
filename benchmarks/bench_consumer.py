"""Consumer throughput: telemetry's real subscription through our consumer loop (per-event and
batched transactions) and through a per-event Faust agent.

Baseline (same run, same records): a plain kafka-python consumer that only decodes the
envelopes. Figures are events/s and the ratio to that baseline, on SQLite and PostgreSQL; each
consumer is timed from its first record to its last (group joins are not counted).

    make bench-consumer            # or: python benchmarks/bench_consumer.py --reports 20000
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from baseline import decode_only
from bench_results import Figure, write
from kafka import KafkaProducer
from tianmen_devkit.broker import choose_broker
from tianmen_devkit.postgres import temporary_postgres
from tianmen_events import DomainEvent, EventMeta, derive_id, encode
from tianmen_events.registry import MachineKind, MachineRegistered, TerminalBound
from tianmen_events.telemetry import TerminalReported
from tianmen_events.topics import (
    REGISTRY_MACHINE,
    REGISTRY_SITE,
    SAFETY_ENTERPRISE,
    TELEMETRY_REPORT,
    dead_letter,
)
from tianmen_runtime.consumer import EventConsumer
from tianmen_runtime.db import make_engine
from tianmen_runtime.group_consumer import make_group_consumer
from tianmen_runtime.kafka_io import ensure_topics, make_producer
from tianmen_telemetry.bootstrap import build
from tianmen_telemetry.config import Settings

START = datetime(2026, 5, 12, 8, 0, tzinfo=UTC)


def _meta(event_id: str, subject: str, at: datetime) -> EventMeta:
    return EventMeta(
        id=event_id, source="/bench", time=at, subject=subject, sequence=1, correlation_id=event_id
    )


def publish(bootstrap: str, machines: int, reports: int) -> int:
    # Every topic telemetry consumes, though only two are filled: a missing one stalls the group.
    topics = [REGISTRY_MACHINE, REGISTRY_SITE, SAFETY_ENTERPRISE, TELEMETRY_REPORT]
    ensure_topics(bootstrap, [*topics, dead_letter("telemetry")])
    # A loaded machine can take longer than the suite's 5 s to acknowledge a send: the bench waits
    # (a record lost here left the usage loop waiting for it forever) and checks every one.
    producer = make_producer(bootstrap, "bench", delivery_timeout_s=300)
    sent = [
        _send(producer, event, derive_id("bench", event.type, f"m{n}"), START)
        for n in range(machines)
        for event in machine_events(n)
    ]
    for i in range(reports):
        report = report_of(i, machines)
        sent.append(_send(producer, report, report.report_id, report.reported_at))
    producer.flush()
    for future in sent:
        future.get(timeout=300)  # raises if the broker did not take it
    producer.close()
    return len(sent)


def machine_events(n: int) -> tuple[MachineRegistered, TerminalBound]:
    """The n-th machine of the bench, registered and bound to its terminal."""
    machine, enterprise, terminal = f"m{n}", f"e{n % 20}", f"1380000{n:05d}"
    return (
        MachineRegistered(
            machine_id=machine,
            enterprise_id=enterprise,
            kind=MachineKind.EXCAVATOR,
            brand="SANY",
            model="SY215C",
            jurisdiction_code="429006",
            high_risk=False,
            serial_number=f"S{n}",
        ),
        TerminalBound(machine_id=machine, enterprise_id=enterprise, terminal_id=terminal),
    )


def report_of(i: int, machines: int) -> TerminalReported:
    """The i-th report: machines in turn, each every 30 s, working."""
    n, at = i % machines, START + timedelta(seconds=30 * (i // machines))
    return TerminalReported(
        report_id=derive_id("bench-report", i),
        terminal_id=f"1380000{n:05d}",
        machine_id=f"m{n}",
        enterprise_id=f"e{n % 20}",
        reported_at=at,
        latitude=30.65,
        longitude=113.16,
        working=True,
        fuel_level_pct=50.0,
    )


def _send(producer: KafkaProducer, event: DomainEvent, event_id: str, at: datetime) -> Any:
    message = encode(event, _meta(event_id, event.subject_id(), at))
    return producer.send(
        message.topic, key=message.key, value=message.value, headers=message.headers
    )


def subscription_run(
    bootstrap: str, total: int, database_url: str, *, transaction_size: int
) -> float:
    """Seconds from the first record to the last through our consumer loop."""
    service = build(Settings(database_url=database_url, kafka_bootstrap_servers=bootstrap))
    engine = make_engine(database_url, service.metadata)
    assert service.subscription is not None
    group = f"bench-{uuid.uuid4()}"
    consumer = make_group_consumer(bootstrap, group, "bench", 500)
    worker = EventConsumer(
        engine, service.subscription, consumer, make_producer(bootstrap, "b"), transaction_size
    )
    stop, seen, started = threading.Event(), 0, 0.0
    worker.subscribe(stop)
    while seen < total:
        polled = worker.poll_once(stop, timeout_ms=500)
        if polled and not seen:
            started = time.perf_counter()  # the first batch's own time is not counted
        seen += polled
    elapsed = time.perf_counter() - started
    consumer.close()
    return elapsed


def faust_run(bootstrap: str, total: int, database_url: str) -> float:
    """Seconds from the first event to the last through a per-event Faust agent."""
    with tempfile.TemporaryDirectory() as folder:
        result = Path(folder) / "seconds"
        agent = Path(__file__).with_name("faust_agent.py")
        command = [sys.executable, str(agent), bootstrap, database_url, str(total), str(result)]
        subprocess.run(command, capture_output=True, timeout=600, check=True)
        return float(result.read_text())


@contextmanager
def stores() -> Iterator[dict[str, Callable[[str], str]]]:
    with tempfile.TemporaryDirectory() as folder, temporary_postgres() as pg:
        yield {
            "sqlite": lambda name: f"sqlite:///{Path(folder) / name}.db",
            "postgresql": pg.create_database,
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--machines", type=int, default=200)
    parser.add_argument("--reports", type=int, default=20_000)
    args = parser.parse_args()
    with choose_broker() as bootstrap, stores() as urls:
        total = publish(bootstrap, args.machines, args.reports)
        _, base = decode_only(bootstrap, (REGISTRY_MACHINE.name, TELEMETRY_REPORT.name))
        print(f"{total} events; baseline (decode only): {total / base:,.0f} ev/s")
        print(f"{'store':<11}{'consumer':>15}{'ev/s':>10}{'vs baseline':>13}{'vs per-event':>14}")
        figures: list[Figure] = []
        for store, url in urls.items():
            runs: list[tuple[str, Callable[[str], float]]] = [
                ("loop, txn 1", partial(subscription_run, bootstrap, total, transaction_size=1)),
                (
                    "loop, txn 200",
                    partial(subscription_run, bootstrap, total, transaction_size=200),
                ),
                ("faust agent", partial(faust_run, bootstrap, total)),
            ]
            per_event = None
            for number, (name, run) in enumerate(runs):
                elapsed = run(url(f"bench_{number}"))
                per_event = per_event or elapsed
                print(
                    f"{store:<11}{name:>15}{total / elapsed:>10,.0f}{base / elapsed:>13.3f}"
                    f"{per_event / elapsed:>14.2f}x"
                )
                figures.append(
                    Figure(f"{store}, {name}", total / elapsed, "decode only", total / base)
                )
        print(f"written to {write('consumer', 'events/s', figures)}")


if __name__ == "__main__":
    main()
