"""The server's sink answers only for what the broker acknowledged, record by record, without
flushing the producer (other submits share it)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from kafka.errors import KafkaTimeoutError
from tianmen_runtime.service import Service
from tianmen_telemetry.jt808.messages.general import Result
from tianmen_telemetry.jt808.produce import AcknowledgedSink
from tianmen_telemetry.jt808.simulator import location
from tianmen_telemetry.service_layer.ports import SinkUnavailable

from ..helpers import TERMINAL, at, reported
from .server_fixtures import connected, login, run, running

REPORT = location(at("2026-05-11T23:30:00"), 30.65, 113.16, working=True)


class _Record:
    """A send's future: settled by the broker (the test), never by a flush."""

    def __init__(self) -> None:
        self.settled = threading.Event()
        self.error: Exception | None = None

    def get(self, timeout: float) -> None:
        if not self.settled.wait(timeout):
            raise KafkaTimeoutError("no ack in time")
        if self.error is not None:
            raise self.error


class _Producer:
    def __init__(self, on_send: Callable[[_Record], None] = lambda record: None) -> None:
        self.records: list[_Record] = []
        self.on_send = on_send

    def send(self, topic: str, **message: Any) -> _Record:
        record = _Record()
        self.records.append(record)
        self.on_send(record)
        return record

    def flush(self, timeout: float | None = None) -> None:
        raise AssertionError("a submit must not flush the shared producer")


def _acked(record: _Record) -> None:
    record.settled.set()


def _failed(record: _Record) -> None:
    record.error = KafkaTimeoutError("batch expired")
    record.settled.set()


def test_publish_returns_only_once_every_record_is_acknowledged() -> None:
    producer = _Producer()
    sink = AcknowledgedSink(lambda: producer, "/tianmen/telemetry", timeout=10)
    reports = [reported(at("2026-05-11T23:30:00")), reported(at("2026-05-11T23:31:00"))]
    publishing = threading.Thread(target=sink.publish, args=(reports,))
    publishing.start()
    while len(producer.records) < 2:
        publishing.join(0.01)
    producer.records[1].settled.set()
    publishing.join(0.3)
    assert publishing.is_alive(), "returned while the first record was not acknowledged"
    producer.records[0].settled.set()
    publishing.join(5)
    assert not publishing.is_alive()


@pytest.mark.parametrize("settle", [_failed, lambda record: None], ids=["failed", "no ack"])
def test_a_record_the_broker_does_not_acknowledge_makes_the_sink_unavailable(
    settle: Callable[[_Record], None],
) -> None:
    sink = AcknowledgedSink(lambda: _Producer(settle), "/tianmen/telemetry", timeout=0.2)
    with pytest.raises(SinkUnavailable):
        sink.publish([reported(at("2026-05-11T23:30:00"))])


def test_a_failed_produce_gets_no_answer_and_the_resend_is_acknowledged(
    bound_service: Service,
) -> None:
    producer = _Producer(_failed)
    sink = AcknowledgedSink(lambda: producer, "/tianmen/telemetry", timeout=2)

    async def scenario() -> None:
        async with running(bound_service, sink) as (_, port), connected(port, TERMINAL) as t:
            await login(t)
            with pytest.raises(TimeoutError):
                await t.call(0x0200, REPORT.encode(), timeout=1.0)
            producer.on_send = _acked  # the broker is back
            assert (await t.report(REPORT)).result == Result.SUCCESS

    run(scenario)
    assert len(producer.records) == 2
