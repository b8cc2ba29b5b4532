"""A simulated terminal over a real socket: login, reports, batches, text messages, refusals."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
from tianmen_runtime.service import Service
from tianmen_telemetry.jt808.auth import auth_code
from tianmen_telemetry.jt808.messages.general import GeneralResponse, Result
from tianmen_telemetry.jt808.messages.registration import RegistrationResult
from tianmen_telemetry.jt808.messages.text import DISPLAY, TTS
from tianmen_telemetry.jt808.session import TerminalOffline
from tianmen_telemetry.jt808.simulator import location

from ..helpers import MACHINE, TERMINAL, FakeSink, at
from .server_fixtures import SECRET, SETTINGS, connected, counted, login, run, running

STOP = "停止使用：塔吊 T-01 年检过期，请立即停机"


@pytest.mark.parametrize("is_2019", [True, False], ids=["2019", "2013"])
def test_a_bound_terminal_logs_in_and_its_reports_reach_the_use_case(
    bound_service: Service, sink: FakeSink, is_2019: bool
) -> None:
    async def scenario() -> None:
        async with (
            running(bound_service, sink) as (_, port),
            connected(port, TERMINAL, is_2019=is_2019) as terminal,
        ):
            registered = await terminal.register()
            assert registered.result == RegistrationResult.SUCCESS
            assert registered.auth_code == auth_code(SECRET, TERMINAL)
            authenticated = await terminal.authenticate(registered.auth_code)
            assert authenticated == GeneralResponse(1, 0x0102, Result.SUCCESS)
            assert (await terminal.heartbeat()).result == Result.SUCCESS
            working = location(at("2026-05-11T23:30:00"), 30.6531, 113.1661, working=True)
            assert await terminal.report(working) == GeneralResponse(3, 0x0200, Result.SUCCESS)

    run(scenario)
    [report] = sink.published
    assert (report.terminal_id, report.machine_id, report.working) == (TERMINAL, MACHINE, True)
    assert report.reported_at == at("2026-05-11T23:30:00")
    assert (report.latitude, report.longitude) == (30.6531, 113.1661)


def test_engine_items_nested_inside_0xe0_reach_the_published_report(
    bound_service: Service, sink: FakeSink
) -> None:
    """Given a terminal that nests its custom items inside 0xE0 (0xE0, 18, then 0xE1 engine
    hours 1532.5 h and 0xE2 engine number "WP7.240E51"), when it reports over the socket, then
    the published report carries both (main published none)."""
    nested = bytes.fromhex("e104 00003bdd e20a 5750372e323430453531")
    working = location(at("2026-05-11T23:30:00"), 30.6531, 113.1661, working=True)
    working = replace(working, items=((0xE0, nested),))

    async def scenario() -> None:
        async with (
            running(bound_service, sink) as (_, port),
            connected(port, TERMINAL) as terminal,
        ):
            registered = await terminal.register()
            await terminal.authenticate(registered.auth_code)
            assert (await terminal.report(working)).result == Result.SUCCESS

    run(scenario)
    [report] = sink.published
    assert (report.engine_hours, report.engine_number) == (1532.5, "WP7.240E51")


def test_a_batch_of_buffered_locations_is_accepted_whole_even_in_packages(
    bound_service: Service, sink: FakeSink
) -> None:
    start = at("2026-05-11T20:00:00")
    buffered = [
        location(start + timedelta(minutes=i), 30.65, 113.16, working=i % 2 == 0) for i in range(6)
    ]

    async def scenario() -> None:
        async with running(bound_service, sink) as (_, port), connected(port, TERMINAL) as t:
            await login(t)
            assert (await t.report_batch(buffered[:2])).result == Result.SUCCESS
            answer = await t.report_batch(buffered[2:], package_size=50)  # 3 packages
            assert (answer.message_id, answer.result) == (0x0704, Result.SUCCESS)

    run(scenario)
    assert [r.reported_at for r in sink.published] == [loc.time for loc in buffered]
    assert [r.working for r in sink.published] == [True, False] * 3


def test_a_location_without_a_fix_is_acknowledged_but_not_reported(
    bound_service: Service, sink: FakeSink
) -> None:
    unpositioned = counted("tianmen_jt808_reports_total", outcome="unpositioned")
    no_fix = location(at("2026-05-11T23:30:00"), 0, 0, working=True, positioned=False)

    async def scenario() -> None:
        async with running(bound_service, sink) as (_, port), connected(port, TERMINAL) as t:
            await login(t)
            assert (await t.report(no_fix)).result == Result.SUCCESS

    run(scenario)
    assert sink.published == []
    assert counted("tianmen_jt808_reports_total", outcome="unpositioned") == unpositioned + 1


@pytest.mark.parametrize("is_2019", [True, False], ids=["2019", "2013"])
def test_a_text_message_reaches_the_cab_and_the_terminals_answer_is_returned(
    bound_service: Service, sink: FakeSink, is_2019: bool
) -> None:
    delivered = counted("tianmen_jt808_text_messages_total", outcome="success")

    async def scenario() -> None:
        async with (
            running(bound_service, sink) as (server, port),
            connected(port, TERMINAL, is_2019=is_2019) as terminal,
        ):
            await login(terminal)
            delivery = await server.send_text(TERMINAL, STOP)
            assert (delivery.terminal_id, delivery.result) == (TERMINAL, Result.SUCCESS)
            [shown] = terminal.texts
            assert shown.text == STOP and shown.flag & DISPLAY and shown.flag & TTS
            terminal.answer = Result.FAILURE
            assert (await server.send_text(TERMINAL, STOP)).result == Result.FAILURE

    run(scenario)
    assert counted("tianmen_jt808_text_messages_total", outcome="success") == delivered + 1


def test_a_text_to_a_terminal_that_is_not_online_is_refused(
    bound_service: Service, sink: FakeSink
) -> None:
    async def scenario() -> None:
        async with (
            running(bound_service, sink) as (server, port),
            connected(port, TERMINAL) as terminal,
        ):
            await terminal.register()  # registered, but never authenticated
            with pytest.raises(TerminalOffline):
                await server.send_text(TERMINAL, STOP)

    run(scenario)


def test_an_unbound_terminal_is_refused_counted_and_cannot_report(
    service: Service, sink: FakeSink
) -> None:
    unbound = counted("tianmen_jt808_terminals_refused_total", reason="unbound")

    async def scenario() -> None:
        async with running(service, sink) as (_, port), connected(port, TERMINAL) as terminal:
            registered = await terminal.register()
            assert registered.result == RegistrationResult.TERMINAL_NOT_IN_DATABASE
            assert registered.auth_code == ""
            # Even with the right code (a leaked secret), an unbound terminal is refused.
            refused = await terminal.authenticate(auth_code(SECRET, TERMINAL))
            assert refused.result == Result.FAILURE
            report = location(at("2026-05-11T23:30:00"), 30.65, 113.16, working=True)
            assert (await terminal.report(report)).result == Result.FAILURE

    run(scenario)
    assert sink.published == []
    assert counted("tianmen_jt808_terminals_refused_total", reason="unbound") == unbound + 2


def test_a_wrong_auth_code_is_refused_and_counted(bound_service: Service, sink: FakeSink) -> None:
    wrong = counted("tianmen_jt808_terminals_refused_total", reason="wrong_auth_code")

    async def scenario() -> None:
        async with running(bound_service, sink) as (_, port), connected(port, TERMINAL) as t:
            assert (await t.authenticate("0000000000000000")).result == Result.FAILURE
            assert (await t.heartbeat()).result == Result.FAILURE

    run(scenario)
    assert counted("tianmen_jt808_terminals_refused_total", reason="wrong_auth_code") == wrong + 1


def test_a_silent_terminal_times_out_and_one_that_leaves_is_offline(
    bound_service: Service, sink: FakeSink
) -> None:
    settings = replace(SETTINGS, text_timeout=0.5)

    async def scenario() -> None:
        async with running(bound_service, sink, settings) as (server, port):
            async with connected(port, TERMINAL, answer=None) as silent:
                await login(silent)
                with pytest.raises(TimeoutError):
                    await server.send_text(TERMINAL, STOP)
                waiting = asyncio.create_task(server.send_text(TERMINAL, STOP))
                while not silent.texts[1:]:
                    await asyncio.sleep(0.01)
            with pytest.raises(TerminalOffline):
                await waiting

    run(scenario)


def test_a_terminal_that_logs_out_is_offline_until_it_authenticates_again(
    bound_service: Service, sink: FakeSink
) -> None:
    async def scenario() -> None:
        async with (
            running(bound_service, sink) as (server, port),
            connected(port, TERMINAL) as terminal,
        ):
            await login(terminal)
            assert counted("tianmen_jt808_terminals_online") == 1
            assert (await terminal.general(0x0003, b"")).result == Result.SUCCESS
            assert not server.is_online(TERMINAL)
            assert counted("tianmen_jt808_terminals_online") == 0
            assert (await terminal.heartbeat()).result == Result.FAILURE
            await login(terminal)
            assert server.is_online(TERMINAL)

    run(scenario)
