"""Stop-use texts across JT/T 808 pods (decision 100), on the real broker and store: two server
processes on their own ports (two pods, not siblings) share telemetry's store; simulated
terminals log in to one or the other; safety's orders are published on `safety.enterprise`.

The pod that holds the terminal sends the text once and records the answer once; an order for
a terminal no pod holds is recorded offline once, and reaches the cab when the terminal logs in
to either pod later, or when the terminal that replaced it does (decision 102); a restarted pod
does not send a delivered order again.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaProducer
from sqlalchemy import select
from tianmen_devkit.kafka_config import free_ports
from tianmen_events import EventMeta, encode
from tianmen_events.registry import TerminalBound
from tianmen_events.safety import MachineStopUseOrdered
from tianmen_events.telemetry import StopUseTextDelivered
from tianmen_runtime.db import events
from tianmen_runtime.service import Service
from tianmen_runtime.unit_of_work import unit_of_work
from tianmen_telemetry import bootstrap
from tianmen_telemetry.config import Settings
from tianmen_telemetry.jt808.messages.general import Result
from tianmen_telemetry.jt808.messages.registration import RegistrationResult
from tianmen_telemetry.jt808.simulator import SimulatedTerminal
from tianmen_telemetry.service_layer.handlers import EVENT_HANDLERS

from tests.integration.helpers import eventually
from tests.integration.helpers import run_async as run

pytestmark = pytest.mark.integration
ENTERPRISE = "enterprise-pods"
TEXT_TIMEOUT = 2.0  # the unreached rule's grace is this and 5 s
_ids = itertools.count(1)


@pytest.fixture
def store(
    backend: str, bootstrap_servers: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Service:
    """Telemetry's store the pods share (PostgreSQL as deployed, or one SQLite file)."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'telemetry.db'}"
    else:
        url = request.getfixturevalue("new_postgres_database")("tianmen_jt808_pods")
    service = bootstrap.build(Settings(database_url=url, kafka_bootstrap_servers=bootstrap_servers))
    service.prepare()
    return service


def bind(store: Service, machine: str | None = None) -> tuple[str, str]:
    """A terminal new to this test run bound to `machine` (its terminal replaced), or to a
    machine new to it too: (terminal, machine)."""
    n = next(_ids) + os.getpid() % 1000 * 1000
    terminal, machine = f"139{n:08d}", machine or f"machine-pods-{n}"
    event = TerminalBound(machine_id=machine, enterprise_id=ENTERPRISE, terminal_id=terminal)
    with unit_of_work(store.engine, store.source) as uow:
        EVENT_HANDLERS.handle(event, _meta(event, f"bind-{n}"), uow)
    return terminal, machine


def _meta(event: Any, event_id: str) -> EventMeta:
    return EventMeta(
        id=event_id,
        source="/tianmen/test",
        time=datetime.now(UTC),
        subject=event.subject_id(),
        sequence=1,
        correlation_id=f"corr-{event_id}",
        type=event.type,
    )


def order(bootstrap_servers: str, machine: str) -> str:
    """Publish safety's stop-use order for `machine`; its id."""
    order_id = f"order-pods-{next(_ids)}-{os.getpid()}"
    ordered = MachineStopUseOrdered(
        order_id=order_id,
        enterprise_id=ENTERPRISE,
        machine_id=machine,
        reason="力矩限制器失效",
        ordered_at=datetime.now(UTC),
    )
    message = encode(ordered, _meta(ordered, f"event-{order_id}"))
    producer = KafkaProducer(bootstrap_servers=bootstrap_servers)
    try:
        producer.send(message.topic, message.value, message.key, message.headers).get(10)
    finally:
        producer.close()
    return order_id


def recorded(store: Service, order_id: str) -> list[tuple[str, str | None]]:
    """(outcome, terminal) of each `StopUseTextDelivered` the store holds for the order."""
    query = select(events.c.payload).where(
        events.c.aggregate_id == ENTERPRISE, events.c.type == StopUseTextDelivered.type
    )
    with store.engine.connect() as conn:
        payloads = [json.loads(p) for p in conn.execute(query).scalars()]
    return [(p["outcome"], p["terminal_id"]) for p in payloads if p["order_id"] == order_id]


class Pod:
    """`python -m tianmen_telemetry.jt808` on its own port: one pod of the Deployment."""

    def __init__(self, store: Service, name: str) -> None:
        self.port, self.metrics_port = free_ports(2)
        self.env = {
            **os.environ,
            "DATABASE_URL": store.settings.database_url,
            "KAFKA_BOOTSTRAP_SERVERS": store.settings.kafka_bootstrap_servers,
            "ENVIRONMENT": "test",
            "JT808_PORT": str(self.port),
            "JT808_METRICS_PORT": str(self.metrics_port),
            "JT808_TEXT_TIMEOUT": str(TEXT_TIMEOUT),
        }
        self.name = name
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tianmen_telemetry.jt808"], env=self.env
        )
        eventually(self._listens, what=f"pod {self.name} to listen")

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            assert self.process.wait(timeout=60) == 0
            self.process = None

    def _listens(self) -> bool | None:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        except OSError:
            return None
        return True


@contextmanager
def pods(store: Service, *names: str) -> Iterator[list[Pod]]:
    started = [Pod(store, name) for name in names]
    try:
        for pod in started:
            pod.start()
        yield started
    finally:
        for pod in started:
            if pod.process is not None:
                pod.process.terminate()
                pod.process.wait(60)


@asynccontextmanager
async def logged_in(pod: Pod, terminal_id: str) -> AsyncIterator[SimulatedTerminal]:
    terminal = SimulatedTerminal(terminal_id)
    await terminal.connect("127.0.0.1", pod.port)
    try:
        registered = await terminal.register()
        assert registered.result == RegistrationResult.SUCCESS
        assert (await terminal.authenticate(registered.auth_code)).result == Result.SUCCESS
        yield terminal
    finally:
        await terminal.close()


async def texts_within(terminal: SimulatedTerminal, seconds: float) -> list[str]:
    """The texts the terminal was shown once `seconds` passed (or at once, any at all)."""
    for _ in range(int(seconds * 10)):
        if terminal.texts:
            break
        await asyncio.sleep(0.1)
    return [t.text for t in terminal.texts]


def unreached(store: Service, bootstrap_servers: str, machine: str, terminal_id: str) -> str:
    """Publish an order for `machine` while its terminal is logged in nowhere; its id, once the
    unreached rule recorded it offline."""
    order_id = order(bootstrap_servers, machine)
    eventually(lambda: recorded(store, order_id), what="the unreached rule to record it offline")
    assert recorded(store, order_id) == [("offline", terminal_id)]
    return order_id


def shown_at_login(pod: Pod, terminal_id: str) -> list[str]:
    """The texts `terminal_id` is shown once it logs in to `pod`."""

    async def scenario() -> list[str]:
        async with logged_in(pod, terminal_id) as terminal:
            return await texts_within(terminal, 60)

    return list(run(scenario))


def test_an_order_for_a_terminal_on_pod_b_is_sent_by_b_once_and_recorded_once(
    store: Service, bootstrap_servers: str
) -> None:
    terminal_id, machine = bind(store)
    with pods(store, "a", "b") as (_, b):

        async def scenario() -> list[str]:
            async with logged_in(b, terminal_id) as terminal:
                order_id = order(bootstrap_servers, machine)
                shown = await texts_within(terminal, 60)
                await asyncio.sleep(TEXT_TIMEOUT + 7)  # past the unreached rule's grace
                assert [t.text for t in terminal.texts] == shown, "shown once"
                return [order_id, *shown]

        order_id, *shown = run(scenario)
        assert len(shown) == 1 and order_id in shown[0]
        assert recorded(store, order_id) == [("shown", terminal_id)]


def test_an_order_for_an_offline_terminal_reaches_it_when_it_logs_in_to_pod_a_later(
    store: Service, bootstrap_servers: str
) -> None:
    terminal_id, machine = bind(store)
    with pods(store, "a", "b") as (a, _):
        order_id = unreached(store, bootstrap_servers, machine, terminal_id)
        [shown] = shown_at_login(a, terminal_id)
        assert order_id in shown
        eventually(lambda: len(recorded(store, order_id)) == 2, what="the answer recorded")
        assert recorded(store, order_id) == [("offline", terminal_id), ("shown", terminal_id)]


def test_a_restarted_pod_does_not_send_a_delivered_order_again(
    store: Service, bootstrap_servers: str
) -> None:
    terminal_id, machine = bind(store)
    with pods(store, "a") as [a]:

        async def first() -> str:
            async with logged_in(a, terminal_id) as terminal:
                order_id = order(bootstrap_servers, machine)
                [shown] = await texts_within(terminal, 60)
                assert order_id in shown
                return order_id

        order_id = run(first)
        eventually(lambda: recorded(store, order_id), what="the answer recorded")
        a.stop()  # a rolling update: SIGTERM, drained, started again; it reads the order again
        a.start()

        async def again() -> list[str]:
            async with logged_in(a, terminal_id) as terminal:
                return await texts_within(terminal, TEXT_TIMEOUT + 8)

        assert run(again) == []
        assert recorded(store, order_id) == [("shown", terminal_id)]


def test_an_order_follows_its_machine_to_the_terminal_that_replaced_its_own(
    store: Service, bootstrap_servers: str
) -> None:
    """Decision 102: the machine's terminal is offline at the order and replaced before the cab
    was reached; the new terminal gets the text when it logs in, the answer recorded under it."""
    replaced, machine = bind(store)
    with pods(store, "a", "b") as (a, _):
        order_id = unreached(store, bootstrap_servers, machine, replaced)
        fitted, _ = bind(store, machine)  # the registry gives the machine another terminal
        [shown] = shown_at_login(a, fitted)
        assert order_id in shown
        eventually(lambda: len(recorded(store, order_id)) == 2, what="the answer recorded")
        assert recorded(store, order_id) == [("offline", replaced), ("shown", fitted)]
