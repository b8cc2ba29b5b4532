"""A real JT/T 808 server on 127.0.0.1 wired to the real use case, a SQLite bindings projection
and a fake report sink (no broker), plus helpers to read its counters."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager, contextmanager
from functools import partial
from typing import Any, TypeVar

from prometheus_client import REGISTRY
from tianmen_runtime.service import Service
from tianmen_telemetry.adapters import queries
from tianmen_telemetry.jt808.intake import ProjectedBindings, SubmitReportsIntake
from tianmen_telemetry.jt808.messages.general import Result
from tianmen_telemetry.jt808.messages.registration import RegistrationResult
from tianmen_telemetry.jt808.runner import Jt808Runner
from tianmen_telemetry.jt808.server import Jt808Server
from tianmen_telemetry.jt808.session import Jt808Settings
from tianmen_telemetry.jt808.simulator import SimulatedTerminal
from tianmen_telemetry.service_layer.ports import ReportSink

from ..helpers import at

T = TypeVar("T")
NOW = at("2026-05-11T23:40:00")
SECRET = b"test-secret"
OTHER = "13800000002"  # a second bound terminal
SETTINGS = Jt808Settings(secret=SECRET, idle_timeout=5.0, text_timeout=2.0)


@asynccontextmanager
async def running(
    service: Service, sink: ReportSink, settings: Jt808Settings = SETTINGS
) -> AsyncIterator[tuple[Jt808Server, int]]:
    lookup = partial(queries.bindings_for, service.engine)
    intake = SubmitReportsIntake(lookup, sink, lambda: NOW)
    server = Jt808Server(settings, ProjectedBindings(lookup), intake)
    listener = await server.start("127.0.0.1", 0)
    try:
        yield server, listener.sockets[0].getsockname()[1]
    finally:
        listener.close()


@asynccontextmanager
async def connected(port: int, phone: str, **options: Any) -> AsyncIterator[SimulatedTerminal]:
    terminal = SimulatedTerminal(phone, **options)
    await terminal.connect("127.0.0.1", port)
    try:
        yield terminal
    finally:
        await terminal.close()


async def login(terminal: SimulatedTerminal) -> None:
    registered = await terminal.register()
    assert registered.result == RegistrationResult.SUCCESS
    assert (await terminal.authenticate(registered.auth_code)).result == Result.SUCCESS


@contextmanager
def in_thread(runner: Jt808Runner) -> Iterator[Jt808Runner]:
    """The runner as the service's process runs it: a thread, stopped by an event."""
    stop = threading.Event()
    thread = threading.Thread(target=runner, args=(stop,))
    thread.start()
    try:
        assert runner.listening.wait(10)
        yield runner
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive(), "the server loop did not stop"


def run(scenario: Callable[[], Coroutine[Any, Any, T]], timeout: float = 30) -> T:
    return asyncio.run(asyncio.wait_for(scenario(), timeout))


def counted(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0
