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
        """Publish, flush the producer, and return once the broker acknowledged every report
        (HTTP ingest: one request's reports, sent at once)."""
        futures = self.send(reports)
        try:
            self.producer().flush(timeout=self.timeout)
        except KafkaError as exc:
            raise _unavailable(exc) from exc
        wait_for_acks(futures, self.timeout)

    def send(self, reports: Sequence[TerminalReported]) -> list[FutureRecordMetadata]:
        """Hand the reports to the producer without flushing it; their records' futures, which
        the broker settles (`wait_for_acks`). For callers that share the producer across
        threads and must not wait for each other's records (the JT/T 808 server)."""
        try:
            producer = self.producer()
            return [self._record(producer, report) for report in reports]
        except KafkaError as exc:
            raise _unavailable(exc) from exc

    def _record(self, producer: KafkaProducer, report: TerminalReported) -> FutureRecordMetadata:
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


def wait_for_acks(futures: Sequence[FutureRecordMetadata], timeout: float) -> None:
    """Return once the broker acknowledged every record; `SinkUnavailable` if one failed or
    was not acknowledged within `timeout`."""
    try:
        for future in futures:
            future.get(timeout=timeout)
    except KafkaError as exc:
        raise _unavailable(exc) from exc


def _unavailable(exc: KafkaError) -> SinkUnavailable:
    return SinkUnavailable(f"the report topic did not acknowledge: {exc}")
