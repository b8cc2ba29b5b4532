"""Stop-use orders reach the cab: given a bound terminal logged in over a real socket, when
safety's order is handled, then the terminal shows the text and its answer is recorded as
`StopUseTextDelivered` (published through the outbox); an offline terminal or a machine
without one is recorded as such."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from functools import partial

import pytest
from sqlalchemy import select
from tianmen_events import decode
from tianmen_events.safety import MachineStopUseOrdered
from tianmen_events.telemetry import StopUseTextDelivered
from tianmen_runtime.db import outbox
from tianmen_runtime.service import Service
from tianmen_runtime.unit_of_work import unit_of_work
from tianmen_telemetry.adapters import queries
from tianmen_telemetry.jt808.downlink import downlink_subscription
from tianmen_telemetry.jt808.intake import ProjectedBindings, SubmitReportsIntake
from tianmen_telemetry.jt808.messages.general import Result
from tianmen_telemetry.jt808.runner import Jt808Runner
from tianmen_telemetry.jt808.server import Jt808Server

from ..helpers import ENTERPRISE, MACHINE, TERMINAL, FakeSink, apply, bound, meta_for
from .server_fixtures import NOW, SETTINGS, connected, in_thread, login, run

ORDER = MachineStopUseOrdered(
    order_id="order-1",
    enterprise_id=ENTERPRISE,
    machine_id=MACHINE,
    reason="起重机未年检",
    ordered_at=NOW,
)


@pytest.fixture
def runner(service: Service) -> Iterator[Jt808Runner]:
    apply(service, bound(), "bind-1")
    lookup = partial(queries.bindings_for, service.engine)
    intake = SubmitReportsIntake(lookup, FakeSink(), lambda: NOW)
    server = Jt808Server(SETTINGS, ProjectedBindings(lookup), intake)
    with in_thread(Jt808Runner(server, "127.0.0.1", 0)) as runner:
        yield runner


def _handle(service: Service, runner: Jt808Runner, order: MachineStopUseOrdered) -> None:
    """As the downlink's consumer does: the order's handlers in one transaction."""
    handlers = downlink_subscription(service.source, runner.send_text, lambda: NOW).handlers
    with unit_of_work(service.engine, service.source) as uow:
        handlers.handle(order, meta_for(order, "order-event-1", NOW), uow)


def _recorded(service: Service) -> list[StopUseTextDelivered]:
    with service.engine.connect() as conn:
        rows = conn.execute(select(outbox)).all()
    decoded = [decode([(k, v.encode()) for k, v in json.loads(r.headers)], r.value) for r in rows]
    assert {r.topic for r in rows} <= {"telemetry.alert"}
    return [event for event, _ in decoded if isinstance(event, StopUseTextDelivered)]


def test_a_stop_use_order_is_shown_in_the_cab_and_the_answer_recorded(
    service: Service, runner: Jt808Runner
) -> None:
    async def scenario() -> list[str]:
        async with connected(runner.port, TERMINAL) as terminal:
            await login(terminal)
            await asyncio.to_thread(_handle, service, runner, ORDER)
            return [t.text for t in terminal.texts]

    [shown] = run(scenario)
    assert "起重机未年检" in shown and "order-1" in shown
    [delivered] = _recorded(service)
    assert (delivered.order_id, delivered.terminal_id) == ("order-1", TERMINAL)
    assert (delivered.outcome, delivered.result, delivered.text) == ("shown", 0, shown)


def test_a_terminal_that_refuses_the_text_is_recorded_as_refused(
    service: Service, runner: Jt808Runner
) -> None:
    async def scenario() -> None:
        async with connected(runner.port, TERMINAL, answer=Result.NOT_SUPPORTED) as terminal:
            await login(terminal)
            await asyncio.to_thread(_handle, service, runner, ORDER)

    run(scenario)
    [delivered] = _recorded(service)
    assert (delivered.outcome, delivered.result) == ("refused", Result.NOT_SUPPORTED)


def test_a_terminal_not_logged_in_is_recorded_as_offline(
    service: Service, runner: Jt808Runner
) -> None:
    _handle(service, runner, ORDER)
    [delivered] = _recorded(service)
    assert (delivered.outcome, delivered.terminal_id, delivered.result) == (
        "offline",
        TERMINAL,
        None,
    )


def test_a_machine_without_a_terminal_is_recorded_as_such(
    service: Service, runner: Jt808Runner
) -> None:
    _handle(service, runner, ORDER.model_copy(update={"machine_id": "machine-without"}))
    [delivered] = _recorded(service)
    assert (delivered.outcome, delivered.terminal_id) == ("no_terminal", None)


def test_what_the_cab_answered_stays_out_of_the_digest_a_replay_must_reproduce(
    service: Service, runner: Jt808Runner
) -> None:
    before = service.digest()
    _handle(service, runner, ORDER)
    assert [d.outcome for d in _recorded(service)] == ["offline"]  # recorded, and published
    assert service.digest() == before  # a replay, which sends no text, gives the same digest
