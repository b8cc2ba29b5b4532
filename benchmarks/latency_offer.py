"""The latency bench's load: `machines` simulated machines each report once a second, straight
onto `telemetry.report`, spread over the second. Every `JUMP_EVERY`th report jumps 2 km in a
second, which telemetry's rules must answer with an `implausible_movement` alert. Reports are
encoded before the clock starts, so the generator's own CPU is the producer's, as a JT/T 808
server's would be.
"""

from __future__ import annotations

import time
from datetime import timedelta

from bench_consumer import START, _meta
from kafka import KafkaProducer
from tianmen_events import encode
from tianmen_events.envelope import Message
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime.kafka_io import make_producer

JUMP_EVERY = 100
HOME, AWAY = (30.6531, 113.1661), (30.6711, 113.1661)  # 2 km apart
Second = list[tuple[Message, str | None]]  # a second's reports, each with its id if it jumps


def second_of(machines: int, second: int) -> Second:
    reports = []
    for n in range(machines):
        jump = second > 0 and (n + second) % JUMP_EVERY == 0  # a jump needs a fix before
        report = _report(n, second, AWAY if jump else HOME)
        message = encode(report, _meta(report.report_id, report.subject_id(), report.reported_at))
        reports.append((message, report.report_id if jump else None))
    return reports


def offer(bootstrap: str, offer: list[Second], slices: int = 20) -> tuple[dict[str, float], float]:
    """Each second, one report from every machine, sent in `slices` even slices of the fleet
    (terminals report at their own phase in the second, not all at one instant; 1 sends the
    whole fleet at the start of each second); returns the send time of each jump."""
    producer = make_producer(bootstrap, "bench-latency")
    sent: dict[str, float] = {}
    began = time.monotonic()
    for second, reports in enumerate(offer):
        for part in range(slices):
            _pace(began + second + part / slices)
            for message, jump in reports[part::slices]:
                if jump:
                    sent[jump] = time.time()
                _send(producer, message)
            producer.flush()
    _pace(began + len(offer))
    offered = sum(len(reports) for reports in offer) / (time.monotonic() - began)
    producer.close()
    return sent, offered


def _pace(until: float) -> None:
    """Wait for `until` (monotonic); a generator running late goes on at once."""
    time.sleep(max(0.0, until - time.monotonic()))


def _send(producer: KafkaProducer, message: Message) -> None:
    producer.send(message.topic, key=message.key, value=message.value, headers=message.headers)


def _report(n: int, second: int, where: tuple[float, float]) -> TerminalReported:
    at = START + timedelta(days=1, seconds=second)
    return TerminalReported(
        report_id=f"latency-{n}-{second}",
        terminal_id=f"1380000{n:05d}",
        machine_id=f"m{n}",
        enterprise_id=f"e{n % 20}",
        reported_at=at,
        latitude=where[0],
        longitude=where[1],
        working=True,
    )
