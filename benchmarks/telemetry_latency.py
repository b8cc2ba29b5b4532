"""Report-to-alert latency: `machines` simulated machines each report once a second for
`seconds`, straight onto `telemetry.report`, while the real telemetry worker and outbox relay
run (SQLite, the suite's default store). Every 100th report jumps 2 km in a second, which the
rules must answer with an `implausible_movement` alert; the latency of each is from the
moment its report was sent to the moment its alert is read from `telemetry.alert`.

Alerts not read within `drain_s` after the last report are counted as missing (their latency
is at least that), not left out of the percentiles silently.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from bench_consumer import START, _send, publish
from kafka import KafkaConsumer, TopicPartition
from sqlalchemy import Engine, func, select
from tianmen_events import decode
from tianmen_events.telemetry import AlertRaised, TerminalReported
from tianmen_events.topics import TELEMETRY_ALERT
from tianmen_runtime.kafka_io import make_producer
from tianmen_telemetry.adapters.orm import terminal_bindings
from tianmen_telemetry.bootstrap import build
from tianmen_telemetry.config import Settings

JUMP_EVERY = 100
HOME, AWAY = (30.6531, 113.1661), (30.6711, 113.1661)  # 2 km apart


@dataclass(frozen=True)
class Latency:
    offered_per_s: float
    expected: int
    missing: int
    p50_ms: float
    p99_ms: float


def run(bootstrap: str, database_url: str, machines: int, seconds: int, drain_s: float) -> Latency:
    publish(bootstrap, machines, 0)  # the fleet: registered and bound
    service = build(Settings(database_url=database_url, kafka_bootstrap_servers=bootstrap))
    service.prepare()
    stop = threading.Event()
    loops = [
        threading.Thread(target=loop, args=(stop,), daemon=True)
        for loop in service.loops(["worker", "relay"])
    ]
    for thread in loops:
        thread.start()
    arrived: dict[str, float] = {}
    reader = threading.Thread(target=_read_alerts, args=(bootstrap, arrived, stop), daemon=True)
    reader.start()
    _fleet_applied(service.engine, machines)
    sent, offered = _offer(bootstrap, machines, seconds)
    deadline = time.monotonic() + drain_s
    while time.monotonic() < deadline and not sent.keys() <= arrived.keys():
        time.sleep(0.5)
    stop.set()
    for thread in (*loops, reader):
        thread.join(30)
    latencies = sorted(arrived[r] - sent[r] for r in sent if r in arrived)
    missing = len(sent) - len(latencies)
    # A missing alert is slower than any that arrived: it ranks last.
    ranked = latencies + [float("inf")] * missing
    return Latency(offered, len(sent), missing, _pct(ranked, 0.50), _pct(ranked, 0.99))


def _fleet_applied(engine: Engine, machines: int, seconds: float = 300) -> None:
    """Offer reports only once the worker has joined and applied every binding."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            if (
                conn.execute(select(func.count()).select_from(terminal_bindings)).scalar()
                == machines
            ):
                return
        time.sleep(0.5)
    raise SystemExit("telemetry did not apply the fleet's bindings")


def _pct(ranked: list[float], q: float) -> float:
    return ranked[min(len(ranked) - 1, int(q * len(ranked)))] * 1000 if ranked else float("nan")


def _offer(bootstrap: str, machines: int, seconds: int) -> tuple[dict[str, float], float]:
    """Each second, one report from every machine; returns the send time of each jump."""
    producer = make_producer(bootstrap, "bench-latency")
    sent: dict[str, float] = {}
    began = time.monotonic()
    for second in range(seconds):
        for n in range(machines):
            jump = second > 0 and (n + second) % JUMP_EVERY == 0  # a jump needs a fix before
            report = _report(n, second, AWAY if jump else HOME)
            if jump:
                sent[report.report_id] = time.time()
            _send(producer, report, report.report_id, report.reported_at)
        producer.flush()
        time.sleep(max(0.0, began + second + 1 - time.monotonic()))
    offered = machines * seconds / (time.monotonic() - began)
    producer.close()
    return sent, offered


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


def _read_alerts(bootstrap: str, arrived: dict[str, float], stop: threading.Event) -> None:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    partitions = [
        TopicPartition(TELEMETRY_ALERT.name, p)
        for p in consumer.partitions_for_topic(TELEMETRY_ALERT.name) or ()
    ]
    consumer.assign(partitions)
    while not stop.is_set():
        for records in consumer.poll(timeout_ms=200).values():
            now = time.time()
            for record in records:
                event, _ = decode(record.headers, record.value)
                if isinstance(event, AlertRaised) and event.evidence:
                    arrived.setdefault(event.evidence[-1].report_id, now)
    consumer.close()
