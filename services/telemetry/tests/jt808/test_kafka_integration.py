"""End to end on a real broker: a terminal's batch over a socket is durable on telemetry.report."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from kafka import KafkaConsumer, KafkaProducer
from sqlalchemy import select
from tianmen_devkit.broker import choose_broker
from tianmen_devkit.kafka_config import free_ports
from tianmen_events import DomainEvent, decode, encode
from tianmen_events.registry import TerminalBound
from tianmen_events.safety import MachineStopUseOrdered
from tianmen_events.telemetry import StopUseTextDelivered, TerminalReported
from tianmen_events.topics import (
    REGISTRY_MACHINE,
    REGISTRY_SITE,
    SAFETY_ENTERPRISE,
    TELEMETRY_REPORT,
    dead_letter,
)
from tianmen_runtime.db import outbox
from tianmen_runtime.kafka_io import ensure_topics
from tianmen_runtime.service import Service
from tianmen_telemetry import bootstrap
from tianmen_telemetry.adapters import queries
from tianmen_telemetry.config import Settings
from tianmen_telemetry.jt808.compose import build_runner
from tianmen_telemetry.jt808.config import Jt808Config
from tianmen_telemetry.jt808.feed import assign_since, feed_consumer, wanted
from tianmen_telemetry.jt808.messages.general import Result
from tianmen_telemetry.jt808.runner import Jt808Runner
from tianmen_telemetry.jt808.simulator import SimulatedTerminal, location

from tests.integration.helpers import eventually

from ..helpers import ENTERPRISE, MACHINE, TERMINAL, apply, at, bound, meta_for
from .server_fixtures import NOW, connected, in_thread, login, run

SHANGHAI = timezone(timedelta(hours=8))

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def bootstrap_servers() -> Iterator[str]:
    with choose_broker() as servers:
        yield servers


@pytest.fixture
def kafka_service(tmp_path: Path, bootstrap_servers: str) -> Service:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'telemetry.db'}",
        kafka_bootstrap_servers=bootstrap_servers,
    )
    service = bootstrap.build(settings)
    service.prepare()
    apply(service, bound(), "bind-1")
    return service


@pytest.fixture
def runner(kafka_service: Service) -> Iterator[Jt808Runner]:
    with in_thread(build_runner(kafka_service, Jt808Config(port=0), clock=lambda: NOW)) as runner:
        yield runner


def published(bootstrap_servers: str) -> list[TerminalReported]:
    consumer = KafkaConsumer(
        TELEMETRY_REPORT.name,
        bootstrap_servers=bootstrap_servers,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=5000,
    )
    try:
        events = [decode(record.headers, record.value)[0] for record in consumer]
    finally:
        consumer.close()
    return [e for e in events if isinstance(e, TerminalReported)]


def test_a_batch_acknowledged_to_the_terminal_is_on_the_report_topic(
    runner: Jt808Runner, bootstrap_servers: str
) -> None:
    start = at("2026-05-11T21:00:00")
    buffered = [location(start + timedelta(minutes=i), 30.65, 113.16, working=True) for i in (0, 1)]

    async def scenario() -> Result:
        async with connected(runner.port, TERMINAL) as terminal:
            await login(terminal)
            return Result((await terminal.report_batch(buffered)).result)

    assert run(scenario) == Result.SUCCESS
    # Acknowledged means durable: the records are on the topic when the answer arrives.
    reports = published(bootstrap_servers)
    assert [(r.terminal_id, r.machine_id) for r in reports] == [(TERMINAL, MACHINE)] * 2
    assert [r.reported_at for r in reports] == [loc.time for loc in buffered]


@contextmanager
def standalone(
    kafka_service: Service,
    bootstrap_servers: str,
    processes: int = 1,
    settings: dict[str, str] | None = None,
) -> Iterator[tuple[int, int]]:
    """`python -m tianmen_telemetry.jt808` on telemetry's store: its port and metrics port
    (process i's is that + i, below the ephemeral range: next to an ephemeral port may be a
    client's)."""
    port, metrics_port = free_ports(2) if processes == 1 else (free_ports(1)[0], _pair_free())
    env = {
        **os.environ,
        "DATABASE_URL": kafka_service.settings.database_url,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap_servers,
        "ENVIRONMENT": "test",
        "JT808_PORT": str(port),
        "JT808_METRICS_PORT": str(metrics_port),
        "JT808_PROCESSES": str(processes),
        **(settings or {}),
    }
    process = subprocess.Popen([sys.executable, "-m", "tianmen_telemetry.jt808"], env=env)
    try:
        eventually(lambda: _listens(port), what="the jt808 process to listen")
        for index in range(1, processes):  # a sibling's /metrics answers once it listens
            eventually(partial(_answers, metrics_port + index), what=f"process {index}")
        yield port, metrics_port
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0


def test_the_standalone_process_serves_terminals_and_exports_its_metrics(
    kafka_service: Service, bootstrap_servers: str
) -> None:
    with standalone(kafka_service, bootstrap_servers) as (port, metrics_port):
        # The process checks reported_at against the wall clock (7 days back at most).
        an_hour_ago = datetime.now(UTC).astimezone(SHANGHAI).replace(microsecond=0) - timedelta(
            hours=1
        )
        report = location(an_hour_ago, 30.65, 113.16, working=False)

        async def scenario() -> Result:
            async with connected(port, TERMINAL) as terminal:
                await login(terminal)
                return Result((await terminal.report(report)).result)

        assert run(scenario) == Result.SUCCESS
        metrics = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics").text
        assert 'tianmen_jt808_reports_total{outcome="accepted"} 1.0' in metrics


@pytest.mark.parametrize(("max_ahead", "answer"), [(None, Result.FAILURE), ("P2D", Result.SUCCESS)])
def test_the_standalone_process_keeps_the_services_acceptance_window(
    kafka_service: Service, bootstrap_servers: str, max_ahead: str | None, answer: Result
) -> None:
    """A report dated a day ahead: refused under the default window (10 minutes ahead), taken
    where telemetry's `REPORT_MAX_AHEAD` allows it, as `POST /reports` would."""
    settings = {} if max_ahead is None else {"REPORT_MAX_AHEAD": max_ahead}
    with standalone(kafka_service, bootstrap_servers, settings=settings) as (port, _):
        tomorrow = datetime.now(UTC).astimezone(SHANGHAI).replace(microsecond=0) + timedelta(days=1)

        async def scenario() -> Result:
            async with connected(port, TERMINAL) as terminal:
                await login(terminal)
                ahead = location(tomorrow, 30.65, 113.16, working=False)
                return Result((await terminal.report(ahead)).result)

        assert run(scenario) == answer


def test_the_standalone_process_sends_a_stop_use_order_to_the_cab_and_records_the_answer(
    kafka_service: Service, bootstrap_servers: str
) -> None:
    order_id = f"order-{uuid4().hex[:12]}"  # the broker's topic outlives each test's store
    with standalone(kafka_service, bootstrap_servers) as (port, _):

        async def scenario() -> list[str]:
            async with connected(port, TERMINAL) as terminal:
                return await _texts_after_an_order(terminal, bootstrap_servers, order_id)

        [shown] = run(scenario, timeout=90)
        assert order_id in shown
        recorded = partial(_delivered, kafka_service, order_id)
        delivered = eventually(recorded, what="the answer recorded")
        assert (delivered.outcome, delivered.result) == ("shown", 0)


def test_a_stop_use_order_reaches_a_terminal_held_by_a_sibling_process(
    kafka_service: Service, bootstrap_servers: str
) -> None:
    """Two processes share the port; each reads the order, the sibling holding it sends it."""
    order_id = f"order-{uuid4().hex[:12]}"
    with standalone(kafka_service, bootstrap_servers, processes=2) as (port, metrics_port):

        async def scenario() -> list[str]:
            for _ in range(100):  # the kernel picks the process: connect until the sibling has it
                async with connected(port, TERMINAL) as terminal:
                    held = await asyncio.to_thread(_holder_of_one, metrics_port)
                    if held == 1:
                        return await _texts_after_an_order(terminal, bootstrap_servers, order_id)
            raise AssertionError("no connection reached the sibling process in 100 tries")

        shown = run(scenario, timeout=120)
        assert [order_id in text for text in shown] == [True]
        recorded = partial(_delivered, kafka_service, order_id)
        delivered = eventually(recorded, what="the answer recorded")
        assert (delivered.outcome, delivered.result) == ("shown", 0)


async def _texts_after_an_order(
    terminal: SimulatedTerminal, bootstrap_servers: str, order_id: str
) -> list[str]:
    """Log in, publish a stop-use order for the terminal's machine, and wait for its text.
    The texts shown: an earlier test's order for the same machine (the topic outlives each
    test's store, which has no answer to it) may come first."""
    await login(terminal)
    _publish_order(bootstrap_servers, order_id)
    for _ in range(600):
        if any(order_id in t.text for t in terminal.texts):
            break
        await asyncio.sleep(0.1)
    return [t.text for t in terminal.texts if order_id in t.text]


def _holder_of_one(metrics_port: int) -> int:
    """Which of two processes holds the one open connection (their gauges, polled)."""
    for _ in range(100):
        gauges = [_connections(metrics_port), _connections(metrics_port + 1)]
        if gauges in ([0.0, 1.0], [1.0, 0.0]):
            return gauges.index(1.0)
        time.sleep(0.05)
    raise AssertionError(f"open connections by process: {gauges}")


def _pair_free() -> int:
    """A port below the ephemeral range that is free, and the next one too."""
    for base in range(21_000, 32_000, 7):
        try:
            with (
                socket.create_server(("127.0.0.1", base)),
                socket.create_server(("127.0.0.1", base + 1)),
            ):
                return base
        except OSError:
            continue
    raise AssertionError("no two consecutive free ports")


def _answers(metrics_port: int) -> bool:
    return _connections(metrics_port) is not None


def _connections(metrics_port: int) -> float | None:
    """The `tianmen_jt808_connections` gauge of one process; None while it does not answer."""
    try:
        text = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=2).text
    except httpx.HTTPError:
        return None
    [line] = [x for x in text.splitlines() if x.startswith("tianmen_jt808_connections ")]
    return float(line.split()[1])


def _publish_order(bootstrap_servers: str, order_id: str) -> None:
    order = MachineStopUseOrdered(
        order_id=order_id,
        enterprise_id=ENTERPRISE,
        machine_id=MACHINE,
        reason="未年检",
        ordered_at=NOW,
    )
    _publish(bootstrap_servers, order, f"event-{order_id}", NOW)


def _publish(bootstrap_servers: str, event: DomainEvent, event_id: str, when: datetime) -> None:
    message = encode(event, meta_for(event, event_id, when))
    producer = KafkaProducer(bootstrap_servers=bootstrap_servers)
    try:
        producer.send(message.topic, message.value, message.key, message.headers).get(10)
    finally:
        producer.close()


def _delivered(service: Service, order_id: str) -> StopUseTextDelivered | None:
    """The order's one record (several would fail: the holder answers within the grace)."""
    with service.engine.connect() as conn:
        rows = conn.execute(select(outbox)).all()
    found = []
    for row in rows:
        event, _ = decode([(k, v.encode()) for k, v in json.loads(row.headers)], row.value)
        if isinstance(event, StopUseTextDelivered) and event.order_id == order_id:
            found.append(event)
    assert len(found) <= 1, found
    return found[0] if found else None


def _listens(port: int) -> bool | None:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return None
    return True


def test_a_rebind_applied_by_the_worker_reaches_the_next_report(
    tmp_path: Path, bootstrap_servers: str
) -> None:
    """The server keeps the bindings it read; the worker applying the registry's rebind (and
    its offset) is what makes the next report go to the new holder."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'rebind.db'}",
        kafka_bootstrap_servers=bootstrap_servers,
    )
    service = bootstrap.build(settings)
    service.prepare()
    consumed = [REGISTRY_MACHINE, REGISTRY_SITE, SAFETY_ENTERPRISE, TELEMETRY_REPORT]
    ensure_topics(bootstrap_servers, [*consumed, dead_letter(service.name)])  # or the group stalls
    first, then = at("2026-05-11T21:07:00"), at("2026-05-11T23:07:00")
    stop = threading.Event()
    worker = threading.Thread(target=service.worker_loop, args=(stop,))
    worker.start()
    try:
        _publish_bind(bootstrap_servers, "machine-1", "bind-a", at("2026-05-11T12:00:00"))
        eventually(lambda: _holder(service) == "machine-1", what="the first binding applied")
        with in_thread(build_runner(service, Jt808Config(port=0), clock=lambda: NOW)) as runner:
            assert _report(runner.port, first) == Result.SUCCESS
            _publish_bind(bootstrap_servers, "machine-3", "bind-b", at("2026-05-11T22:00:00"))
            eventually(lambda: _holder(service) == "machine-3", what="the rebind applied")
            assert _report(runner.port, then) == Result.SUCCESS
    finally:
        stop.set()
        worker.join(30)
    mine = {r.reported_at: r.machine_id for r in published(bootstrap_servers)}
    assert (mine[first], mine[then]) == ("machine-1", "machine-3")


def _publish_bind(bootstrap_servers: str, machine_id: str, event_id: str, when: datetime) -> None:
    event = TerminalBound(machine_id=machine_id, enterprise_id=ENTERPRISE, terminal_id=TERMINAL)
    _publish(bootstrap_servers, event, event_id, when)


def _holder(service: Service) -> str | None:
    binding = queries.bindings_for(service.engine, [TERMINAL]).get(TERMINAL)
    return None if binding is None else binding.machine_id


def _report(port: int, when: datetime) -> Result:
    async def scenario() -> Result:
        async with connected(port, TERMINAL) as terminal:
            await login(terminal)
            report = location(when, 30.65, 113.16, working=False)
            return Result((await terminal.report(report)).result)

    return run(scenario)


def test_an_order_published_while_the_feed_starts_is_read(bootstrap_servers: str) -> None:
    """The feed's starting point is fixed when it assigns, not at its first fetch: an order
    published between the two (a process starting as safety orders) is read, not skipped."""
    ensure_topics(bootstrap_servers, [SAFETY_ENTERPRISE])
    consumer = feed_consumer(bootstrap_servers, "feed-start-test")()
    try:
        # Nothing on the topic is this recent: the feed starts at each partition's end.
        assert assign_since(consumer, SAFETY_ENTERPRISE.name, datetime.now(UTC), threading.Event())
        order_id = f"order-{uuid4().hex[:12]}"
        _publish_order(bootstrap_servers, order_id)
        seen: list[str] = []
        deadline = time.monotonic() + 20
        while order_id not in seen and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=200).values():
                events = [found[0] for r in records if (found := wanted(r))]
                seen += [e.order_id for e in events if isinstance(e, MachineStopUseOrdered)]
    finally:
        consumer.close()
    assert order_id in seen
