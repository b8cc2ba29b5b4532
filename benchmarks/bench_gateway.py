"""The gateway's cost on a real read: an authenticated staff read that reaches a service's store.

`real`: GET /api/v1/machines/{id} as city staff through the gateway (`python -m tianmen_gateway
serve`): the bearer token verified (ES256), the role and the machine's scope checked (the
registry asked for the machine and its enterprise), the machine fetched, each call to the
registry signed with the caller's identity and verified there (`python -m tianmen_registry
api`, SQLite). `bare`: a FastAPI endpoint answering a constant JSON object under uvicorn, the
same process setup. The load generator is an asyncio httpx loop in this process, on loopback.

1. Maximum: `--concurrency` requests kept in flight for `--seconds`, each of bare and real,
   alternated over `--rounds` (median).
2. Latency at half of real's maximum: requests started on a fixed schedule (open loop, so a slow
   answer does not hold back the next) at 0.5 x real's maximum, p50 and p99 of each, real and
   bare, and the CPU each server process spent per request (from /proc: unlike latency, it
   does not grow when other work on the machine takes the cores away). The load average is
   kept beside the figures: on a shared 2-core machine it says how far latency is the machine's.

    python benchmarks/bench_gateway.py [--seconds 10 --concurrency 16 --rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from bench_results import Figure, wait_up, write
from tianmen_devkit.broker import choose_broker
from tianmen_devkit.kafka_config import free_ports

BARE = """
import sys, uvicorn
from fastapi import FastAPI
app = FastAPI()
app.get("/ping")(lambda: {"machine_id": "m", "kind": "excavator", "status": "registered"})
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
"""
USCC = "91429006MA4TM0019B"


@contextmanager
def processes(folder: Path, bootstrap: str) -> Iterator[tuple[dict[str, str], dict[str, int]]]:
    ports = dict(zip(("bare", "registry", "gateway"), free_ports(3), strict=True))
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "IDENTITY_KEY_FILE": str(folder / "identity.pem"),
        "AUTH_KEY_FILE": str(folder / "issuer.pem"),
        "REGISTRY_URL": urls["registry"],
        "RATE_LIMIT": "100000000/minute",  # the limiter still runs; it must not refuse the load
        "LOG_LEVEL": "WARNING",
    }
    commands = {
        "bare": [sys.executable, "-c", BARE, str(ports["bare"])],
        "registry": [sys.executable, "-m", "tianmen_registry", "api"],
        "gateway": [sys.executable, "-m", "tianmen_gateway", "serve"],
    }
    procs = [
        subprocess.Popen(
            command,
            env={
                **env,
                "HTTP_PORT": str(ports[name]),
                "DATABASE_URL": f"sqlite:///{folder}/{name}.db",
            },
            stdout=subprocess.DEVNULL,
        )
        for name, command in commands.items()
    ]
    try:
        for url in urls.values():
            wait_up(url, seconds=240)  # a shared machine can be slow to start three processes
        yield urls, {name: proc.pid for name, proc in zip(commands, procs, strict=True)}
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=20)


def seed(gateway: str) -> tuple[str, dict[str, str]]:
    """A machine registered by city staff; the URL to read it and the staff's bearer header."""
    login = {"username": "city", "password": os.environ.get("DEMO_PASSWORD", "tianmen-dev")}
    token = httpx.post(f"{gateway}/api/v1/auth/token", json=login).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    api = f"{gateway}/api/v1"
    enterprise = httpx.post(
        f"{api}/enterprises", json={"uscc": USCC, "name": "天门压测公司"}, headers=auth
    )
    assert enterprise.status_code == 201, enterprise.text
    body = {"enterprise_id": enterprise.json()["enterprise_id"], "kind": "excavator"}
    body |= {"brand": "SANY", "model": "SY215C", "serial_number": "BENCH0001"}
    machine = httpx.post(f"{api}/machines", json=body, headers=auth)
    assert machine.status_code == 201, machine.text
    return f"{api}/machines/{machine.json()['machine_id']}", auth


async def closed_loop(url: str, headers: dict[str, str], seconds: float, concurrency: int) -> float:
    """Requests/s with `concurrency` always in flight."""
    done, stop = 0, time.monotonic() + seconds
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, headers=headers, limits=limits) as client:

        async def worker() -> None:
            nonlocal done
            while time.monotonic() < stop:
                response = await client.get(url)
                assert response.status_code == 200, response.text
                done += 1

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done / (time.monotonic() - started)


def cpu_s(pids: list[int]) -> float:
    """CPU seconds (user + system) the processes have spent so far."""
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


async def open_loop(
    url: str, headers: dict[str, str], rate: float, seconds: float
) -> tuple[float, float, int]:
    """p50 and p99 latency (ms) of requests started every 1/rate s, measured from when each
    was due, and how many were sent."""
    latencies: list[float] = []
    async with httpx.AsyncClient(timeout=30, headers=headers) as client:

        async def one(due: float) -> None:
            response = await client.get(url)
            assert response.status_code == 200, response.text
            latencies.append(time.monotonic() - due)

        start, tasks, n = time.monotonic(), [], 0
        while (due := start + n / rate) < start + seconds:
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            tasks.append(asyncio.create_task(one(due)))
            n += 1
        await asyncio.gather(*tasks)
    latencies.sort()
    p50, p99 = (latencies[min(len(latencies) - 1, int(q * len(latencies)))] for q in (0.5, 0.99))
    return 1000 * p50, 1000 * p99, len(latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        choose_broker() as bootstrap,
        processes(Path(tmp), bootstrap) as (urls, pids),
    ):
        real_url, auth = seed(urls["gateway"])
        targets = {
            "bare": Target(f"{urls['bare']}/ping", {}, [pids["bare"]]),
            "real": Target(real_url, auth, [pids["gateway"], pids["registry"]]),
        }
        load_before = os.getloadavg()
        figures = measure(targets, args)
    details = {
        "cores": os.cpu_count(),
        "load_average_1m": {"before": load_before[0], "after": os.getloadavg()[0]},
    }
    path = write("gateway", "requests/s; ms; CPU ms per request", figures, details=details)
    for figure in figures:
        print(
            f"{figure.label:62} {figure.value:9.1f}  ({figure.baseline}: "
            f"{figure.baseline_value:.1f}, ratio {figure.ratio:.3f})"
        )
    print(f"load average (1 min) {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"written to {path}")


@dataclass(frozen=True)
class Target:
    url: str
    headers: dict[str, str]
    pids: list[int]
    """The server processes that answer it (their CPU per request is measured)."""


def measure(targets: dict[str, Target], args: argparse.Namespace) -> list[Figure]:
    per_round = args.seconds / args.rounds
    runs: dict[str, list[float]] = {"bare": [], "real": []}
    for _ in range(args.rounds):  # alternated: a shared machine's load shifts during a run
        for name, t in targets.items():
            runs[name].append(
                asyncio.run(closed_loop(t.url, t.headers, per_round, args.concurrency))
            )
    bare, real = (sorted(runs[n])[len(runs[n]) // 2] for n in ("bare", "real"))
    half = real / 2
    latency, cpu = {}, {}
    for name, t in targets.items():
        spent = cpu_s(t.pids)
        *latency[name], sent = asyncio.run(open_loop(t.url, t.headers, half, args.seconds / 2))
        cpu[name] = 1000 * (cpu_s(t.pids) - spent) / sent
    at_half = f"at half its max ({half:.0f} req/s)"
    bare_at = "bare FastAPI at that rate"
    return [
        Figure("authenticated staff read of a machine, max requests/s", real, "bare FastAPI", bare),
        Figure(
            f"p50 ms of the staff read {at_half}",
            latency["real"][0],
            f"{bare_at}, p50 ms",
            latency["bare"][0],
        ),
        Figure(
            f"p99 ms of the staff read {at_half}",
            latency["real"][1],
            f"{bare_at}, p99 ms",
            latency["bare"][1],
        ),
        Figure(
            "CPU ms per staff read (gateway + registry)",
            cpu["real"],
            "bare FastAPI, CPU ms per request",
            cpu["bare"],
        ),
    ]


if __name__ == "__main__":
    main()
