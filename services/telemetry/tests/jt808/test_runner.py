"""The server as a background loop: started and stopped by an Event, downlink from a thread."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from functools import partial

import pytest
from tianmen_runtime.service import Service
from tianmen_telemetry.adapters import queries
from tianmen_telemetry.jt808.intake import ProjectedBindings, SubmitReportsIntake
from tianmen_telemetry.jt808.messages.general import Result
from tianmen_telemetry.jt808.runner import Jt808Runner, after_listening
from tianmen_telemetry.jt808.server import Jt808Server
from tianmen_telemetry.jt808.session import TerminalOffline

from ..helpers import TERMINAL, FakeSink, apply, bound
from .server_fixtures import NOW, SETTINGS, connected, in_thread, run


@pytest.fixture
def runner(service: Service) -> Iterator[Jt808Runner]:
    apply(service, bound(), "bind-1")
    lookup = partial(queries.bindings_for, service.engine)
    intake = SubmitReportsIntake(lookup, FakeSink(), lambda: NOW)
    server = Jt808Server(SETTINGS, ProjectedBindings(lookup), intake)
    with in_thread(Jt808Runner(server, "127.0.0.1", 0)) as runner:
        yield runner


def test_another_thread_sends_a_text_and_gets_the_terminals_answer(runner: Jt808Runner) -> None:
    async def scenario() -> int:
        async with connected(runner.port, TERMINAL) as terminal:
            registered = await terminal.register()
            await terminal.authenticate(registered.auth_code)
            delivery = await asyncio.to_thread(runner.send_text, TERMINAL, "停止使用")
            assert [t.text for t in terminal.texts] == ["停止使用"]
            return delivery.result

    assert run(scenario) == Result.SUCCESS


def test_a_loop_beside_the_server_that_fails_is_run_again(
    runner: Jt808Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The order feed's consumer failing (the broker away) does not leave texts unsent while
    the server goes on serving."""
    monkeypatch.setattr("tianmen_telemetry.jt808.runner.RESTART_AFTER", 0.01)
    stop, runs = threading.Event(), list[int]()

    def loop(stop: threading.Event) -> None:
        runs.append(len(runs))
        if len(runs) < 3:
            raise OSError("the broker is away")
        stop.set()

    after_listening(runner, loop, stop)
    assert runs == [0, 1, 2]


def test_a_text_for_a_stopped_server_is_offline(runner: Jt808Runner) -> None:
    stopped = Jt808Runner(runner.server, "127.0.0.1", 0)
    with pytest.raises(TerminalOffline):
        stopped.send_text(TERMINAL, "停止使用")
