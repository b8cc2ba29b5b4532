"""Garbage, refusals and limits: the server answers or drops, and keeps serving."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace

import pytest
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime.service import Service
from tianmen_telemetry.jt808 import codec
from tianmen_telemetry.jt808.header import Header
from tianmen_telemetry.jt808.messages.general import Result
from tianmen_telemetry.jt808.simulator import location
from tianmen_telemetry.service_layer.ports import SinkUnavailable

from ..helpers import TERMINAL, FakeSink, at
from .server_fixtures import OTHER, SETTINGS, connected, counted, login, run, running

REPORT = location(at("2026-05-11T23:30:00"), 30.65, 113.16, working=True)


class FlakySink(FakeSink):
    """Refuses to confirm until `up` is set, like a broker that does not answer."""

    def __init__(self) -> None:
        super().__init__()
        self.up = False

    def publish(self, reports: Sequence[TerminalReported]) -> None:
        if not self.up:
            raise SinkUnavailable("broker did not acknowledge")
        super().publish(reports)


def test_garbage_bytes_are_dropped_and_the_connection_keeps_answering(
    bound_service: Service, sink: FakeSink
) -> None:
    mismatches = counted("tianmen_jt808_protocol_errors_total", error="CheckCodeMismatch")
    heartbeat = codec.encode(Header(0x0002, TERMINAL.zfill(20), 99, 1), b"")

    async def scenario() -> None:
        async with running(bound_service, sink) as (_, port), connected(port, TERMINAL) as t:
            await login(t)
            await t.send_raw(b"GET / HTTP/1.1\r\n\r\n")  # no frame at all
            await t.send_raw(heartbeat[:-2] + b"\x00\x7e")  # wrong check code
            await t.send_raw(b"\x7e\x7d\x03\x7e\x7e\x7e")  # bad escape, empty frame
            await t.send_raw(b"\x7e" + bytes(5000) + b"\x7e")  # longer than any message
            assert (await t.heartbeat()).result == Result.SUCCESS
            assert (await t.report(REPORT)).result == Result.SUCCESS

    run(scenario)
    assert len(sink.published) == 1
    assert counted("tianmen_jt808_protocol_errors_total", error="CheckCodeMismatch") > mismatches


def test_a_well_framed_but_malformed_body_is_answered_as_a_message_error(
    bound_service: Service, sink: FakeSink
) -> None:
    async def scenario() -> None:
        async with running(bound_service, sink) as (_, port), connected(port, TERMINAL) as t:
            await login(t)
            cut = await t.general(0x0200, REPORT.encode()[:20])  # basic information is 28 bytes
            assert cut.result == Result.MESSAGE_ERROR
            assert (await t.general(0x0104, b"")).result == Result.NOT_SUPPORTED  # parameters

    run(scenario)
    assert sink.published == []


def test_reports_the_use_case_refuses_are_answered_failure_and_nothing_is_published(
    bound_service: Service, sink: FakeSink
) -> None:
    future = replace(REPORT, time=at("2026-05-12T01:00:00"))  # the server's clock says 23:40

    async def scenario() -> None:
        async with running(bound_service, sink) as (_, port), connected(port, TERMINAL) as t:
            await login(t)
            assert (await t.report_batch([REPORT, future])).result == Result.FAILURE

    run(scenario)
    assert sink.published == []


def test_unconfirmed_reports_get_no_answer_so_the_terminal_resends_them(
    bound_service: Service,
) -> None:
    sink = FlakySink()

    async def scenario() -> None:
        async with running(bound_service, sink) as (_, port), connected(port, TERMINAL) as t:
            await login(t)
            with pytest.raises(TimeoutError):
                await t.call(0x0200, REPORT.encode(), timeout=1.0)
            sink.up = True
            assert (await t.report(REPORT)).result == Result.SUCCESS

    run(scenario)
    assert [r.reported_at for r in sink.published] == [REPORT.time]


def test_a_terminal_cannot_report_as_another_on_its_connection(
    bound_service: Service, sink: FakeSink
) -> None:
    async def scenario() -> None:
        async with running(bound_service, sink) as (server, port), connected(port, TERMINAL) as t:
            await login(t)
            t.phone = OTHER  # same socket, another terminal's phone number
            assert (await t.report(REPORT)).result == Result.FAILURE
            t.phone = TERMINAL
            assert (await server.send_text(TERMINAL, "停止使用")).result == Result.SUCCESS

    run(scenario)
    assert sink.published == []


def test_a_silent_connection_is_closed_after_the_idle_timeout(
    bound_service: Service, sink: FakeSink
) -> None:
    idle = counted("tianmen_jt808_connections_closed_total", reason="idle")

    async def scenario() -> bytes:
        async with running(bound_service, sink, replace(SETTINGS, idle_timeout=0.3)) as (_, p):
            reader, writer = await asyncio.open_connection("127.0.0.1", p)
            try:
                return await asyncio.wait_for(reader.read(), 5)
            finally:
                writer.close()

    assert run(scenario) == b""
    assert counted("tianmen_jt808_connections_closed_total", reason="idle") == idle + 1


def test_connections_beyond_the_limit_are_closed_and_the_first_keeps_working(
    bound_service: Service, sink: FakeSink
) -> None:
    async def scenario() -> bytes:
        one = replace(SETTINGS, max_connections=1)
        async with running(bound_service, sink, one) as (_, p), connected(p, TERMINAL) as first:
            await login(first)
            reader, writer = await asyncio.open_connection("127.0.0.1", p)
            refused = await asyncio.wait_for(reader.read(), 5)
            writer.close()
            assert (await first.heartbeat()).result == Result.SUCCESS
            return refused

    assert run(scenario) == b""


class BrokenSink(FakeSink):
    def publish(self, reports: Sequence[TerminalReported]) -> None:
        raise RuntimeError("a fault of ours, not of the terminal")


def test_a_fault_of_ours_ends_that_connection_only(bound_service: Service) -> None:
    errors = counted("tianmen_jt808_connections_closed_total", reason="error")

    async def scenario() -> None:
        async with running(bound_service, BrokenSink()) as (_, port):
            async with connected(port, TERMINAL) as broken:
                await login(broken)
                with pytest.raises(TimeoutError):  # no answer: the report was not accepted
                    await broken.call(0x0200, REPORT.encode(), timeout=1.0)
            async with connected(port, OTHER) as other:
                await login(other)
                assert (await other.heartbeat()).result == Result.SUCCESS

    run(scenario)
    assert counted("tianmen_jt808_connections_closed_total", reason="error") == errors + 1
