"""The real `ReportSink`: the Kafka producer, waiting for the broker's acks before returning."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kafka import KafkaProducer
from kafka.errors import KafkaError
from kafka.producer.future import FutureRecordMetadata
from tianmen_events import EventMeta, encode
from tianmen_events.telemetry import TerminalReported

from tianmen_telemetry.service_layer.ports import SinkUnavailable


class KafkaReportSink:
    """Publishes to `telemetry.report`, keyed by machine id (the producer is made on first use)."""

    def __init__(
        self, producer: Callable[[], KafkaProducer], source: str, timeout: float = 30
    ) -> None:
        self.producer = producer
        self.source = source
        self.timeout = timeout

    def publish(self, reports: Sequence[TerminalReported]) -> None:
        try:
            producer = self.producer()
            futures = [self._send(producer, report) for report in reports]
            producer.flush(timeout=self.timeout)
            for future in futures:
                future.get(timeout=self.timeout)
        except KafkaError as exc:
            raise SinkUnavailable(f"the report topic did not acknowledge: {exc}") from exc

    def _send(self, producer: KafkaProducer, report: TerminalReported) -> FutureRecordMetadata:
        meta = EventMeta(
            id=report.report_id,
            source=self.source,
            time=report.reported_at,
            subject=report.machine_id,
            sequence=0,
            correlation_id=report.report_id,
            schema_version=report.version,
            type=report.type,
        )
        message = encode(report, meta)
        return producer.send(
            message.topic, key=message.key, value=message.value, headers=message.headers
        )
