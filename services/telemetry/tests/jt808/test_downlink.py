"""Stop-use orders reach the cab (decision 100): given bound terminals and a real server over a
real socket, a process sends the order to a terminal it holds, now or when the terminal logs
in, and records the answer once as `StopUseTextDelivered` (through the outbox); the unreached
rule records `offline` or `no_terminal` for an order nobody reached; nothing twice."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from functools import partial

import pytest
from kafka import KafkaConsumer
from sqlalchemy import select
from tianmen_events import decode
from tianmen_events.registry import TerminalUnbound
from tianmen_events.safety import MachineStopUseLifted, MachineStopUseOrdered
from tianmen_events.telemetry import StopUseTextDelivered, TextOutcome
from tianmen_runtime.db import outbox
from tianmen_runtime.service import Service
from tianmen_telemetry.adapters import queries
from tianmen_telemetry.jt808.delivery import Deliveries
from tianmen_telemetry.jt808.downlink import stop_use_text
from tianmen_telemetry.jt808.feed import OrderFeed
from tianmen_telemetry.jt808.intake import ProjectedBindings, SubmitReportsIntake
from tianmen_telemetry.jt808.messages.general import Result
from tianmen_telemetry.jt808.pending import Owed, PendingTexts
from tianmen_telemetry.jt808.records import TextRecords, delivered
from tianmen_telemetry.jt808.runner import Jt808Runner
from tianmen_telemetry.jt808.server import Jt808Server
from tianmen_telemetry.jt808.unreached import UnreachedRule

from ..helpers import ENTERPRISE, MACHINE, TERMINAL, FakeSink, apply, at, bound, meta_for
from .server_fixtures import NOW, OTHER, SETTINGS, connected, in_thread, login, run

ORDER = MachineStopUseOrdered(
    order_id="order-1",
    enterprise_id=ENTERPRISE,
    machine_id=MACHINE,
    reason="起重机未年检",
    ordered_at=NOW,
)
META = meta_for(ORDER, "order-event-1", NOW)
REBOUND = at("2026-05-11T13:00:00")  # after the fixture's bind (at 12:00)


@pytest.fixture
def runner(service: Service) -> Iterator[Jt808Runner]:
    apply(service, bound(), "bind-1")
    lookup = partial(queries.bindings_for, service.engine)
    intake = SubmitReportsIntake(lookup, FakeSink(), lambda: NOW)
    server = Jt808Server(SETTINGS, ProjectedBindings(lookup), intake)
    with in_thread(Jt808Runner(server, "127.0.0.1", 0)) as runner:
        yield runner


def deliveries(service: Service, runner: Jt808Runner) -> Deliveries:
    """One process's part, as `compose.build_feed` makes it (no Kafka: orders are handed in)."""
    records = TextRecords(service.engine, service.source)
    pending = PendingTexts(timedelta(days=7))
    return Deliveries(records, runner.send_text, runner.server.is_online, pending, lambda: NOW)


def unreached(service: Service) -> UnreachedRule:
    records = TextRecords(service.engine, service.source)
    return UnreachedRule(records, timedelta(seconds=0), lambda: NOW, threading.Event())


def _recorded(service: Service) -> list[StopUseTextDelivered]:
    with service.engine.connect() as conn:
        rows = conn.execute(select(outbox)).all()
    decoded = [decode([(k, v.encode()) for k, v in json.loads(r.headers)], r.value) for r in rows]
    assert {r.topic for r in rows} <= {"telemetry.alert"}
    return [event for event, _ in decoded if isinstance(event, StopUseTextDelivered)]


def test_an_order_for_a_terminal_held_here_is_shown_and_recorded_once(
    service: Service, runner: Jt808Runner
) -> None:
    here = deliveries(service, runner)

    async def scenario() -> list[str]:
        async with connected(runner.port, TERMINAL) as terminal:
            await login(terminal)
            await asyncio.to_thread(here.ordered, ORDER, META, NOW)
            await asyncio.to_thread(
                here.deliver, TERMINAL, MACHINE
            )  # logged in again: nothing owed
            return [t.text for t in terminal.texts]

    [shown] = run(scenario)
    assert "起重机未年检" in shown and "order-1" in shown
    [record] = _recorded(service)
    assert (record.order_id, record.terminal_id) == ("order-1", TERMINAL)
    assert (record.outcome, record.result, record.text) == ("shown", 0, shown)
    assert len(here.pending) == 0


def test_a_terminal_that_refuses_the_text_is_recorded_as_refused(
    service: Service, runner: Jt808Runner
) -> None:
    here = deliveries(service, runner)

    async def scenario() -> None:
        async with connected(runner.port, TERMINAL, answer=Result.NOT_SUPPORTED) as terminal:
            await login(terminal)
            await asyncio.to_thread(here.ordered, ORDER, META, NOW)

    run(scenario)
    [record] = _recorded(service)
    assert (record.outcome, record.result) == ("refused", Result.NOT_SUPPORTED)


def test_an_order_for_a_terminal_not_held_is_kept_and_sent_when_it_logs_in(
    service: Service, runner: Jt808Runner
) -> None:
    here = deliveries(service, runner)
    here.ordered(ORDER, META, NOW)
    assert _recorded(service) == [] and here.pending.owes(MACHINE)
    logins: list[tuple[str, str]] = []
    runner.server.context.logged_in = lambda *login: logins.append(login)

    async def scenario() -> list[str]:
        async with connected(runner.port, TERMINAL) as terminal:
            await login(terminal)
            for _ in range(100):  # the server tells the feed once the login is answered
                if logins:
                    break
                await asyncio.sleep(0.02)
            assert logins == [(TERMINAL, MACHINE)]  # the machine, as the login read it
            await asyncio.to_thread(here.deliver, TERMINAL, MACHINE)
            return [t.text for t in terminal.texts]

    assert len(run(scenario)) == 1
    assert [r.outcome for r in _recorded(service)] == ["shown"]


def _told(runner: Jt808Runner, feed: OrderFeed) -> list[tuple[str, ...]]:
    """The server's logins told to `feed`, as `compose.build_feed` wires them; those told."""
    told: list[tuple[str, ...]] = []

    def logged_in(*login: str) -> None:
        told.append(login)
        feed.logged_in(*login)

    runner.server.context.logged_in = logged_in
    return told


def _shown_at_login(runner: Jt808Runner, feed: OrderFeed, terminal_id: str) -> list[str]:
    """Log `terminal_id` in; once the feed is told, it delivers (its thread, between polls)."""
    told = _told(runner, feed)

    async def scenario() -> list[str]:
        async with connected(runner.port, terminal_id) as terminal:
            await login(terminal)
            for _ in range(100):
                if told:
                    break
                await asyncio.sleep(0.02)
            assert told, "the server tells the feed once the login is answered"
            await asyncio.to_thread(feed.deliver_logins)
            return [t.text for t in terminal.texts]

    return run(scenario)


def _no_kafka() -> KafkaConsumer:
    raise AssertionError("orders are handed in")


def _outcomes(service: Service) -> list[tuple[str, str | None]]:
    return [(r.outcome, r.terminal_id) for r in _recorded(service)]


def test_an_order_owed_follows_its_machine_to_the_terminal_bound_since(
    service: Service, runner: Jt808Runner
) -> None:
    """Decision 102: the machine's terminal is replaced before the cab was reached; the new
    terminal is sent the text when it logs in, and its answer is recorded under it."""
    here = deliveries(service, runner)
    here.ordered(ORDER, META, NOW)  # its terminal is not logged in anywhere
    apply(service, bound(OTHER), "bind-2", REBOUND)  # the registry gives the machine another
    [shown] = _shown_at_login(runner, OrderFeed(here, _no_kafka), OTHER)
    assert "order-1" in shown
    assert _outcomes(service) == [("shown", OTHER)] and len(here.pending) == 0


def test_a_terminal_moved_to_another_machine_is_not_sent_its_old_machines_order(
    service: Service, runner: Jt808Runner
) -> None:
    here = deliveries(service, runner)
    here.ordered(ORDER, META, NOW)
    apply(service, bound(TERMINAL, "machine-2"), "bind-2", REBOUND)
    assert _shown_at_login(runner, OrderFeed(here, _no_kafka), TERMINAL) == []
    assert _outcomes(service) == [] and here.pending.owes(MACHINE)


def test_a_login_rebound_before_its_delivery_is_not_sent_the_machines_order(
    service: Service, runner: Jt808Runner
) -> None:
    """The feed's thread delivers after the login was answered: the machine's terminal is read
    again then, so a rebind in between does not send the text to the cab it left."""
    here = deliveries(service, runner)

    async def scenario() -> list[str]:
        async with connected(runner.port, TERMINAL) as terminal:
            await login(terminal)  # the login read: TERMINAL is MACHINE's
            here.pending.add(Owed(ORDER, META, NOW))
            await asyncio.to_thread(apply, service, bound(OTHER), "bind-2", REBOUND)
            await asyncio.to_thread(here.deliver, TERMINAL, MACHINE)
            return [t.text for t in terminal.texts]

    assert run(scenario) == []
    assert _outcomes(service) == [] and here.pending.owes(MACHINE)


def _no_terminal_then_shown(
    service: Service, runner: Jt808Runner, order: MachineStopUseOrdered, taken_off: bool
) -> None:
    """The order's machine has no terminal when the grace ends (`taken_off`: its terminal was
    unbound after the order); the desk hears `no_terminal`, the order stays owed to the
    machine, and the terminal fitted next is sent it, recorded `shown` after it."""
    meta = meta_for(order, f"event-{order.machine_id}", NOW)
    here = deliveries(service, runner)
    here.ordered(order, meta, NOW)
    if taken_off:
        unbound = TerminalUnbound(
            machine_id=MACHINE, enterprise_id=ENTERPRISE, terminal_id=TERMINAL, reason="unbound"
        )
        apply(service, unbound, "unbind-1", REBOUND)
    unreached(service)(order, meta, NOW)
    assert _outcomes(service) == [("no_terminal", None)] and here.pending.owes(order.machine_id)
    apply(service, bound(OTHER, order.machine_id), "bind-2", REBOUND + timedelta(hours=1))
    [shown] = _shown_at_login(runner, OrderFeed(here, _no_kafka), OTHER)
    assert "order-1" in shown
    assert _outcomes(service) == [("no_terminal", None), ("shown", OTHER)]


def test_an_unbound_machine_keeps_its_order_owed_until_a_terminal_is_fitted(
    service: Service, runner: Jt808Runner
) -> None:
    """A replacement begins with an unbind: the text still reaches the terminal fitted next."""
    _no_terminal_then_shown(service, runner, ORDER, taken_off=True)


def test_an_order_for_a_machine_without_a_terminal_reaches_the_one_fitted_later(
    service: Service, runner: Jt808Runner
) -> None:
    order = ORDER.model_copy(update={"machine_id": "machine-2"})
    _no_terminal_then_shown(service, runner, order, taken_off=False)


def test_a_terminal_bound_to_an_owed_machine_while_logged_in_is_sent_its_order(
    service: Service, runner: Jt808Runner
) -> None:
    """The registry moves a connected terminal onto a machine owed a text: the feed's next
    sweep sends it there, without waiting for a login that may be days away."""
    order = ORDER.model_copy(update={"machine_id": "machine-2"})  # no terminal when ordered
    here = deliveries(service, runner)
    feed = OrderFeed(here, _no_kafka, rebound_every=0)
    here.ordered(order, META, NOW)

    async def scenario() -> tuple[list[str], list[str]]:
        async with connected(runner.port, TERMINAL) as terminal:
            await login(terminal)  # on MACHINE, which is owed nothing
            await asyncio.to_thread(feed.between_polls)
            before = [t.text for t in terminal.texts]
            await asyncio.to_thread(apply, service, bound(TERMINAL, "machine-2"), "b2", REBOUND)
            await asyncio.to_thread(feed.between_polls)
            return before, [t.text for t in terminal.texts]

    before, after = run(scenario)
    assert before == [] and len(after) == 1 and "order-1" in after[0]
    assert _outcomes(service) == [("shown", TERMINAL)] and len(here.pending) == 0


def test_the_sweep_does_not_send_again_to_a_terminal_that_did_not_answer(
    service: Service, runner: Jt808Runner
) -> None:
    """A silent terminal is sent the text again at its next login, not at every sweep."""
    here = deliveries(service, runner)
    feed = OrderFeed(here, _no_kafka, rebound_every=0)

    async def scenario() -> int:
        async with connected(runner.port, TERMINAL, answer=None) as terminal:
            await login(terminal)
            await asyncio.to_thread(here.ordered, ORDER, META, NOW)
            await asyncio.to_thread(feed.between_polls)
            return len(terminal.texts)

    assert run(scenario) == 1
    assert _outcomes(service) == [("timeout", TERMINAL)] and here.pending.owes(MACHINE)


def test_an_order_another_process_had_answered_is_not_sent_again(
    service: Service, runner: Jt808Runner
) -> None:
    """A restarted process reads the order again; the store says the cab answered already."""
    elsewhere = delivered(ORDER, TERMINAL, stop_use_text(ORDER), TextOutcome.SHOWN, 0, NOW)
    assert TextRecords(service.engine, service.source).record(elsewhere, META)
    here = deliveries(service, runner)

    async def scenario() -> list[str]:
        async with connected(runner.port, TERMINAL) as terminal:
            await login(terminal)
            await asyncio.to_thread(here.ordered, ORDER, META, NOW)
            return [t.text for t in terminal.texts]

    assert run(scenario) == []
    assert len(_recorded(service)) == 1 and len(here.pending) == 0


def test_a_lifted_order_is_not_sent_when_the_terminal_logs_in(
    service: Service, runner: Jt808Runner
) -> None:
    here = deliveries(service, runner)
    here.ordered(ORDER, META, NOW)
    here.lifted(
        MachineStopUseLifted(
            order_id="order-1", enterprise_id=ENTERPRISE, machine_id=MACHINE, lifted_at=NOW
        )
    )
    assert not here.pending.owes(MACHINE)


def test_a_terminal_that_does_not_answer_keeps_its_order_owed(
    service: Service, runner: Jt808Runner
) -> None:
    here = deliveries(service, runner)

    async def scenario() -> None:
        async with connected(runner.port, TERMINAL, answer=None) as terminal:
            await login(terminal)
            await asyncio.to_thread(here.ordered, ORDER, META, NOW)

    run(scenario)
    assert [r.outcome for r in _recorded(service)] == ["timeout"]
    assert here.pending.owes(MACHINE)  # sent again at its next login


def test_two_processes_recording_the_same_answer_record_it_once(service: Service) -> None:
    records = [TextRecords(service.engine, service.source) for _ in range(2)]
    made = delivered(ORDER, TERMINAL, stop_use_text(ORDER), TextOutcome.SHOWN, 0, NOW)
    assert [r.record(made, META) for r in records] == [True, False]
    assert len(_recorded(service)) == 1


def test_an_order_nobody_reached_is_recorded_offline_once_and_still_owed(
    service: Service, runner: Jt808Runner
) -> None:
    rule = unreached(service)
    rule(ORDER, META, NOW)
    rule(ORDER, META, NOW)  # read again after a crash before its commit
    [record] = _recorded(service)
    assert (record.outcome, record.terminal_id, record.result) == ("offline", TERMINAL, None)
    here = deliveries(service, runner)
    here.ordered(ORDER, META, NOW)  # the terminal comes back: the cab still gets the text

    async def scenario() -> None:
        async with connected(runner.port, TERMINAL) as terminal:
            await login(terminal)
            await asyncio.to_thread(here.deliver, TERMINAL, MACHINE)

    run(scenario)
    assert [r.outcome for r in _recorded(service)] == ["offline", "shown"]


def test_the_unreached_rule_records_nothing_once_the_holder_recorded_the_answer(
    service: Service,
) -> None:
    answered = delivered(ORDER, TERMINAL, stop_use_text(ORDER), TextOutcome.SHOWN, 0, NOW)
    TextRecords(service.engine, service.source).record(answered, META)
    unreached(service)(ORDER, META, NOW)
    assert [r.outcome for r in _recorded(service)] == ["shown"]


def test_a_machine_without_a_terminal_is_recorded_as_such(service: Service) -> None:
    order = ORDER.model_copy(update={"machine_id": "machine-without"})
    unreached(service)(order, meta_for(order, "order-event-2", NOW), NOW)
    [record] = _recorded(service)
    assert (record.outcome, record.terminal_id) == ("no_terminal", None)


def test_what_the_cab_answered_stays_out_of_the_digest_a_replay_must_reproduce(
    service: Service, runner: Jt808Runner
) -> None:
    before = service.digest()
    unreached(service)(ORDER, META, NOW)
    assert [d.outcome for d in _recorded(service)] == ["offline"]  # recorded, and published
    assert service.digest() == before  # a replay, which sends no text, gives the same digest


def test_stopping_the_server_hangs_up_on_the_terminals_it_holds(service: Service) -> None:
    """A rolling update's SIGTERM: the listener closes, then each connection, so the terminal
    reconnects (to another pod) instead of talking to a process that is going away."""
    apply(service, bound(), "bind-1")
    lookup = partial(queries.bindings_for, service.engine)
    intake = SubmitReportsIntake(lookup, FakeSink(), lambda: NOW)
    runner = Jt808Runner(Jt808Server(SETTINGS, ProjectedBindings(lookup), intake), "127.0.0.1", 0)
    stop = threading.Event()
    serving = threading.Thread(target=runner, args=(stop,))
    serving.start()
    assert runner.listening.wait(10)

    async def scenario() -> None:
        async with connected(runner.port, TERMINAL) as terminal:
            await login(terminal)
            stop.set()
            assert terminal._listening is not None
            await asyncio.wait_for(terminal._listening, 5)  # the server hung up

    run(scenario)
    serving.join(10)
    assert not serving.is_alive()
