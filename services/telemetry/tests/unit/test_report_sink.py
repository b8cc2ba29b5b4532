"""The Kafka sink: keyed by machine, CloudEvents headers, and it waits for every ack."""

from __future__ import annotations

from typing import Any

import pytest
from kafka.errors import KafkaTimeoutError
from tianmen_events import decode
from tianmen_telemetry.adapters.report_sink import KafkaReportSink
from tianmen_telemetry.service_layer.ports import SinkUnavailable

from ..helpers import MACHINE, at, reported


class _Future:
    def __init__(self, producer: _Producer) -> None:
        self.producer = producer

    def get(self, timeout: float) -> None:
        if not self.producer.flushed:
            raise AssertionError("future awaited before flush")
        if self.producer.fail:
            raise KafkaTimeoutError("no ack")


class _Producer:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[dict[str, Any]] = []
        self.flushed = False
        self.fail = fail

    def send(self, topic: str, **message: Any) -> _Future:
        self.sent.append({"topic": topic, **message})
        return _Future(self)

    def flush(self, timeout: float) -> None:
        self.flushed = True


def test_reports_go_to_the_report_topic_keyed_by_machine() -> None:
    producer = _Producer()
    report = reported(at("2026-05-11T23:30:00"))
    KafkaReportSink(lambda: producer, "/tianmen/telemetry").publish([report])
    [sent] = producer.sent
    assert (sent["topic"], sent["key"]) == ("telemetry.report", MACHINE.encode())
    event, meta = decode(sent["headers"], sent["value"])
    assert event == report
    assert (meta.id, meta.time, meta.subject) == (report.report_id, report.reported_at, MACHINE)


def test_a_missing_ack_means_the_reports_were_not_accepted() -> None:
    producer = _Producer(fail=True)
    sink = KafkaReportSink(lambda: producer, "/tianmen/telemetry")
    with pytest.raises(SinkUnavailable):
        sink.publish([reported(at("2026-05-11T23:30:00"))])


def test_send_hands_the_records_over_without_flushing_and_returns_their_futures() -> None:
    producer = _Producer()
    reports = [reported(at("2026-05-11T23:30:00")), reported(at("2026-05-11T23:31:00"))]
    futures = KafkaReportSink(lambda: producer, "/tianmen/telemetry").send(reports)
    assert not producer.flushed, "send must leave the shared producer's batching alone"
    assert len(futures) == len(producer.sent) == 2
    assert [decode(s["headers"], s["value"])[0] for s in producer.sent] == reports
    with pytest.raises(AssertionError, match="before flush"):
        futures[0].get(timeout=1)  # the futures are the records' own, settled by the broker
