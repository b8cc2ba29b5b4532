"""The enterprise view's cost as the enterprise's history grows, over real HTTP.

Registry, safety and credit (API only, on SQLite filled by their own projectors) and the gateway
each run under uvicorn in a process of their own; one asyncio client keeps `--concurrency`
requests in flight for `--seconds` per scenario. Baseline (same run, same client): a bare
FastAPI endpoint answering a constant JSON object. Figures are requests/s and the ratio to it.

    python benchmarks/bench_enterprise_view.py [--seconds 5 --concurrency 16 --rounds 5]

Each scenario runs `--rounds` times, round-robin with the others, and the median is reported.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from bench_results import Figure, wait_up, write
from sqlalchemy import insert, select
from tianmen_credit import bootstrap as credit
from tianmen_credit.config import Settings as CreditSettings
from tianmen_devkit.kafka_config import free_ports
from tianmen_events import EventMeta, derive_id
from tianmen_events.telemetry import AlertRaised
from tianmen_registry import bootstrap as registry
from tianmen_registry.adapters.orm import enterprises
from tianmen_registry.config import Settings as RegistrySettings
from tianmen_runtime.db import outbox
from tianmen_runtime.projection import apply_batch
from tianmen_runtime.service import Service
from tianmen_runtime.testing import Record, record_of
from tianmen_safety import bootstrap as safety
from tianmen_safety.config import Settings as SafetySettings

HISTORIES = {"young": 1, "aged": 150, "old": 600}
FIRST_NIGHT = datetime(2026, 1, 1, 23, 30, tzinfo=UTC)
SERVE = """
import sys, uvicorn
from fastapi import FastAPI
name, port = sys.argv[1], int(sys.argv[2])
if name == "bare":
    app = FastAPI()
    app.get("/ping")(lambda: {"enterprise_id": "e", "balance": 100, "grade": "A"})
else:
    service = __import__(f"tianmen_{name}.bootstrap", fromlist=["build"]).build()
    app = service.build_api(service)
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
"""


def fill(folder: Path) -> None:
    """Each enterprise in the registry, its alerts through safety, safety's facts through credit."""
    reg = registry.build(RegistrySettings(database_url=f"sqlite:///{folder}/registry.db"))
    saf = safety.build(SafetySettings(database_url=f"sqlite:///{folder}/safety.db"))
    cre = credit.build(CreditSettings(database_url=f"sqlite:///{folder}/credit.db"))
    with reg.engine.begin() as conn:
        for name in HISTORIES:
            view = {"enterprise_id": name, "uscc": name, "name": name, "division_code": "429006"}
            conn.execute(insert(enterprises).values(**view, address="天门市竟陵街道"))
    _apply(saf, [_alert(name, n) for name, many in HISTORIES.items() for n in range(many)])
    with saf.engine.connect() as conn:
        rows = conn.execute(select(outbox).order_by(outbox.c.position)).all()
    facts = [
        Record(
            f.topic,
            0,
            f.position,
            f.key,
            f.value,
            [(k, v.encode()) for k, v in json.loads(f.headers)],
        )
        for f in rows
    ]
    _apply(cre, facts)


def _alert(enterprise_id: str, n: int) -> Record:
    alert = AlertRaised(
        alert_id=f"{enterprise_id}-{n}",
        enterprise_id=enterprise_id,
        machine_id=f"{enterprise_id}-m",
        terminal_id="13900000000",
        rule="night_work",
        rule_version="bench",
        observed_at=FIRST_NIGHT + timedelta(hours=n * 5),
        latitude=30.65,
        longitude=113.17,
        detail="working at night",
    )
    meta = EventMeta(
        id=derive_id("bench", alert.alert_id),
        source="/tianmen/telemetry",
        time=alert.observed_at,
        subject=enterprise_id,
        sequence=n + 1,
        correlation_id=f"bench-{alert.alert_id}",
    )
    return record_of(alert, meta, offset=n)


def _apply(service: Service, records: list[Record], batch: int = 200) -> None:
    """As the consumer applies them: a transaction per batch of records."""
    assert service.subscription is not None
    for start in range(0, len(records), batch):
        apply_batch(service.engine, service.subscription, records[start : start + batch])


@contextmanager
def servers(folder: Path) -> Iterator[dict[str, str]]:
    names = ("bare", "registry", "safety", "credit", "gateway")
    urls = {n: f"http://127.0.0.1:{p}" for n, p in zip(names, free_ports(len(names)), strict=True)}
    env = {**os.environ, **{f"{n.upper()}_URL": u for n, u in urls.items()}}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SERVE, name, url.rsplit(":", 1)[1]],
            env={**env, "DATABASE_URL": f"sqlite:///{folder}/{name}.db"},
        )
        for name, url in urls.items()
    ]
    try:
        for url in urls.values():
            wait_up(url, "/openapi.json")
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


async def rate(url: str, seconds: float, concurrency: int) -> tuple[float, int]:
    """Requests/s over `seconds` with `concurrency` in flight, and the last body's size."""
    done, size, stop = 0, 0, time.monotonic() + seconds
    async with httpx.AsyncClient(timeout=10) as client:

        async def worker() -> None:
            nonlocal done, size
            while time.monotonic() < stop:
                response = await client.get(url)
                assert response.status_code == 200, response.text
                done, size = done + 1, len(response.content)

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done / (time.monotonic() - started), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        fill(Path(tmp))
        with servers(Path(tmp)) as urls:
            api = f"{urls['gateway']}/api/v1/enterprises"
            scenarios = {"baseline: bare FastAPI JSON": f"{urls['bare']}/ping"}
            for name, violations in HISTORIES.items():
                scenarios[f"enterprise view, {violations} violations"] = f"{api}/{name}"
            scenarios["a page of 50 violations (of 600)"] = f"{api}/old/safety/violations"
            results = measure(scenarios, args)
    report(results, args)


def measure(scenarios: dict[str, str], args: argparse.Namespace) -> dict[str, tuple[float, int]]:
    """Round-robin rounds, the median of each: a shared machine's load shifts during a run."""
    rounds: dict[str, list[tuple[float, int]]] = {label: [] for label in scenarios}
    for _ in range(args.rounds):
        for label, url in scenarios.items():
            rounds[label].append(
                asyncio.run(rate(url, args.seconds / args.rounds, args.concurrency))
            )
    return {label: sorted(runs)[len(runs) // 2] for label, runs in rounds.items()}


def report(results: dict[str, tuple[float, int]], args: argparse.Namespace) -> None:
    baseline = next(iter(results.values()))[0]
    print(f"{'scenario':40} {'req/s':>8} {'vs baseline':>12} {'bytes':>7}")
    for label, (per_second, size) in results.items():
        print(f"{label:40} {per_second:8.0f} {per_second / baseline:12.3f} {size:7d}")
    (baseline_label, _), *others = results.items()
    figures = [Figure(label, rps, baseline_label, baseline) for label, (rps, _) in others]
    settings = {"seconds": args.seconds, "concurrency": args.concurrency, "rounds": args.rounds}
    sizes = {label: size for label, (_, size) in results.items()}
    details = {**settings, "bytes": sizes}
    print(f"written to {write('enterprise_view', 'requests/s', figures, details=details)}")


if __name__ == "__main__":
    main()
