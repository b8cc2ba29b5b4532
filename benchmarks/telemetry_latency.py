"""Report-to-alert latency as deployed: `machines` simulated machines each report once a second
for `seconds` (`latency_offer`), straight onto `telemetry.report`, while telemetry's worker(s)
and outbox relay run as their own processes (`telemetry_deployed`; SQLite, the suite's default
store). An alert's latency runs from the moment its report was handed to the producer to the
moment the alert is read from `telemetry.alert`. The load generator and the alert reader are
this process's threads.

Where the time goes (`latency_figures.STAGES`): the alert's outbox row is looked for in the
store (`latency_watch`, every `WATCH_EVERY_S`, so the worker's stage reads up to that much late
and the relay's that much early), and its record carries the relay's send time.

Alerts not read within `drain_s` after the last report are counted as missing and rank last.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import latency_figures
from bench_consumer import publish
from latency_offer import offer as offer_reports
from latency_offer import second_of
from latency_watch import read_alerts, watch_outbox
from sqlalchemy import Engine, func, select
from telemetry_deployed import Part, alive, cpu_seconds, deployed, waited_for_cpu
from tianmen_runtime.db import make_engine
from tianmen_telemetry.adapters.orm import terminal_bindings
from tianmen_telemetry.bootstrap import build
from tianmen_telemetry.config import Settings


@dataclass(frozen=True)
class Latency:
    workers: int
    offered_per_s: float
    expected: int
    missing: int
    p50_ms: float
    p99_ms: float
    stages: dict[str, latency_figures.Spread]
    load_average: tuple[float, float]  # 1-minute load average as the offer began, as it ended
    worker_cpu_us: float  # the workers' CPU a report offered, from the offer's start to drained
    worker_cores: float  # the cores the workers used meanwhile (CPU seconds / wall seconds)
    relay_cpu_us: float
    worker_waited: float  # the share of the run the workers' threads were runnable, not running


def run(
    bootstrap: str,
    machines: int,
    seconds: int,
    drain_s: float,
    workers: int = 1,
    settings: dict[str, str] | None = None,
    slices: int = 20,
) -> Latency:
    publish(bootstrap, machines, 0)  # the fleet: registered and bound
    offer = [second_of(machines, s) for s in range(seconds)]  # encoded before the clock starts
    with tempfile.TemporaryDirectory(prefix="bench-latency-") as folder:
        url = f"sqlite:///{Path(folder) / 'telemetry.db'}"
        build(Settings(database_url=url, kafka_bootstrap_servers=bootstrap)).prepare()
        engine = make_engine(url, build().metadata)  # the tables, before the processes start
        moments: dict[str, dict[str, float]] = {"outboxed": {}, "published": {}, "arrived": {}}
        stop = threading.Event()
        with deployed(bootstrap, url, workers, Path(folder), **(settings or {})) as parts:
            threads = [
                threading.Thread(target=read_alerts, args=(bootstrap, moments, stop)),
                threading.Thread(target=watch_outbox, args=(engine, moments["outboxed"], stop)),
            ]
            for thread in threads:
                thread.start()
            try:
                _fleet_applied(engine, machines, parts=parts)
                loaded, began = os.getloadavg()[0], time.monotonic()
                cpu = {role: cpu_seconds(parts, role) for role in ("worker", "relay")}
                waited = waited_for_cpu(parts, "worker")
                sent, offered = offer_reports(bootstrap, offer, slices)
                _drain(sent, moments["arrived"], drain_s, parts)
                wall = time.monotonic() - began
                cpu = {role: cpu_seconds(parts, role) - cpu[role] for role in cpu}
                waited = waited_for_cpu(parts, "worker") - waited
            finally:
                stop.set()
                for thread in threads:
                    thread.join(30)
        engine.dispose()
    total = latency_figures.spread(sent, moments["arrived"])
    missing = len(sent) - total.counted
    figures = latency_figures.stages({"sent": sent, **moments})
    load = (loaded, os.getloadavg()[0])
    reports = sum(len(second) for second in offer)
    return Latency(
        workers,
        offered,
        len(sent),
        missing,
        total.p50_ms,
        total.p99_ms,
        figures,
        load,
        cpu["worker"] / reports * 1e6,
        cpu["worker"] / wall,
        cpu["relay"] / reports * 1e6,
        waited / wall,
    )


def _fleet_applied(
    engine: Engine, machines: int, seconds: float = 300, parts: Sequence[Part] = ()
) -> None:
    """Offer reports only once the worker(s) joined and applied every binding (also
    `telemetry_jt808`'s wait for its fleet); fails at once if one of `parts` ended."""
    deadline = time.monotonic() + seconds
    count = select(func.count()).select_from(terminal_bindings)
    while time.monotonic() < deadline:
        alive(parts)
        with engine.connect() as conn:
            if conn.execute(count).scalar() == machines:
                return
        time.sleep(0.5)
    raise SystemExit("telemetry did not apply the fleet's bindings")


def _drain(
    sent: dict[str, float], arrived: dict[str, float], drain_s: float, parts: list[Part]
) -> None:
    deadline = time.monotonic() + drain_s
    while time.monotonic() < deadline and not sent.keys() <= arrived.keys():
        alive(parts)
        time.sleep(0.2)
