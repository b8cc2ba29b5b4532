"""The report sink of the JT/T 808 server: it waits for its own records' acknowledgements, and
does not flush the producer.

`KafkaReportSink.publish` flushes, which waits for every record any thread has buffered and
sends each batch at once. The server runs several submits at a time (`BatchingIntake`), so a
flush would make each wait for the others' records, and give up the producer's `linger_ms`
batching. Waiting on each record's future confirms exactly what this submit sent: nothing is
answered 0x8001 before the broker acknowledged it (acks=all), and a failure or timeout is
`SinkUnavailable`, answered with nothing (the terminal resends).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kafka import KafkaProducer
from tianmen_events.telemetry import TerminalReported

from tianmen_telemetry.adapters.report_sink import KafkaReportSink, wait_for_acks


class AcknowledgedSink:
    """A `ReportSink` over `KafkaReportSink.send` (no flush) and `wait_for_acks`."""

    def __init__(
        self, producer: Callable[[], KafkaProducer], source: str, timeout: float = 30
    ) -> None:
        self.records = KafkaReportSink(producer, source, timeout)
        self.timeout = timeout

    def publish(self, reports: Sequence[TerminalReported]) -> None:
        wait_for_acks(self.records.send(reports), self.timeout)
