"""The JT/T 808 server's sustained reports/s from many concurrent terminal connections.

The server runs as its own process (`python -m tianmen_telemetry.jt808`) on a telemetry store
that already holds the fleet's bindings, publishing to the real `telemetry.report`. One client
process opens `terminals` connections; each registers and authenticates, then reports in a
closed loop (the next location once the last is acknowledged: acknowledged means durable on
the broker) for `seconds`. The figure is acknowledged locations per second over that window.
The client shares the machine's two cores with the server and the broker.

    python benchmarks/telemetry_jt808.py --terminals 1000 --seconds 10 [--processes 2]

With `--processes N` the server runs as N processes on the port (`JT808_PROCESSES`); its CPU is
the sum over them, and the load starts once every one listens (the kernel spreads connections
only over the processes listening when they arrive).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import ExitStack
from datetime import datetime, timedelta
from pathlib import Path

from bench_consumer import publish
from telemetry_latency import _fleet_applied
from tianmen_devkit.kafka_config import free_ports
from tianmen_telemetry.bootstrap import build
from tianmen_telemetry.config import Settings
from tianmen_telemetry.jt808.messages.general import GeneralResponse
from tianmen_telemetry.jt808.messages.ids import MessageId
from tianmen_telemetry.jt808.simulator import SimulatedTerminal, location
from tianmen_telemetry.jt808.wire import GMT8

CONNECT_AT_ONCE = 200
ANSWER_TIMEOUT = 60.0


def run(
    bootstrap: str, database_url: str, terminals: int, seconds: float, processes: int = 1
) -> tuple[float, int]:
    """(acknowledged reports/s, terminals that logged in)."""
    [port], metrics = free_ports(1), _free_run(processes)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "JT808_PORT": str(port),
        "JT808_METRICS_PORT": str(metrics),
        "JT808_MAX_CONNECTIONS": str(terminals + 100),
        "LOG_LEVEL": "WARNING",
        "JT808_PROCESSES": str(processes),
    }
    server = subprocess.Popen([sys.executable, "-m", "tianmen_telemetry.jt808"], env=env)
    try:
        _siblings_listening(metrics, processes)
        return asyncio.run(_load(port, terminals, seconds, server.pid))
    finally:
        server.terminate()
        server.wait(30)


async def _load(port: int, terminals: int, seconds: float, pid: int) -> tuple[float, int]:
    await _listening(port)
    gate = asyncio.Semaphore(CONNECT_AT_ONCE)
    fleet = [SimulatedTerminal(f"1380000{n:05d}") for n in range(terminals)]
    logged = await asyncio.gather(*(_login(t, port, gate) for t in fleet))
    online = [t for t, ok in zip(fleet, logged, strict=True) if ok]
    until = time.monotonic() + seconds
    cpu = (time.process_time(), _cpu_seconds(pid))
    window = asyncio.create_task(_cpu_at(until, pid))
    counts = await asyncio.gather(*(_report(t, until) for t in online))
    end = await window
    client, served = end[0] - cpu[0], end[1] - cpu[1]
    acknowledged = sum(counts)
    print(
        f"over {seconds:.0f} s: load generator {client / seconds:.0%} of a core, server "
        f"{served / seconds:.0%} ({served / max(acknowledged, 1) * 1e6:,.0f} us of CPU a "
        f"report); load average {os.getloadavg()[0]:.1f}"
    )
    await asyncio.gather(*(t.close() for t in fleet), return_exceptions=True)
    return acknowledged / seconds, len(online)


async def _listening(port: int) -> None:
    for _ in range(600):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.2)
    raise SystemExit("the JT/T 808 server did not start")


async def _login(terminal: SimulatedTerminal, port: int, gate: asyncio.Semaphore) -> bool:
    async with gate:
        try:
            await terminal.connect("127.0.0.1", port)
            registered = await terminal.register()
            answer = await terminal.authenticate(registered.auth_code)
            return bool(registered.result == 0 and answer.result == 0)
        except (OSError, TimeoutError):
            return False


async def _report(terminal: SimulatedTerminal, until: float) -> int:
    """Locations one second apart by the terminal's clock, from an hour ago (within the
    acceptance window), each sent once the last was acknowledged. With thousands of terminals
    a round trip takes seconds, so a terminal waits up to `ANSWER_TIMEOUT` for its answer
    before it sends the location again (as a terminal resends an unanswered message)."""
    start = datetime.now(GMT8).replace(microsecond=0) - timedelta(hours=1)
    acknowledged = 0
    while time.monotonic() < until:
        body = location(start + timedelta(seconds=acknowledged), 30.6531, 113.1661, working=True)
        try:
            reply = await terminal.call(MessageId.LOCATION, body.encode(), timeout=ANSWER_TIMEOUT)
        except TimeoutError:
            continue
        acknowledged += GeneralResponse.decode(reply).result == 0 and time.monotonic() < until
    return acknowledged


async def _cpu_at(until: float, pid: int) -> tuple[float, float]:
    """The CPU seconds of this process and of the server when the window closes."""
    await asyncio.sleep(until - time.monotonic())
    return time.process_time(), _cpu_seconds(pid)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its live children so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return own + sum(_cpu_seconds(int(child)) for child in children)


def _free_run(count: int) -> int:
    """The first of `count` consecutive free ports below the ephemeral range: process i's
    /metrics is on the first + i, and an ephemeral port next to another may be a client's."""
    for base in range(20_000, 32_000, 16):
        with ExitStack() as held:
            try:
                for port in range(base, base + count):
                    held.enter_context(socket.create_server(("127.0.0.1", port)))
            except OSError:
                continue
            return base
    raise SystemExit(f"no {count} consecutive free ports")


def _siblings_listening(metrics: int, processes: int) -> None:
    """A sibling's /metrics answers once it listens (`jt808/sibling.py`)."""
    for index in range(1, processes):
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{metrics + index}/metrics", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"JT/T 808 process {index} did not start")


def _bound_fleet(bootstrap: str, database_url: str, terminals: int) -> None:
    """The fleet registered and bound, and projected by telemetry's worker into the store."""
    publish(bootstrap, terminals, 0)
    service = build(Settings(database_url=database_url, kafka_bootstrap_servers=bootstrap))
    service.prepare()
    stop = threading.Event()
    worker = threading.Thread(target=service.loops(["worker"])[0], args=(stop,), daemon=True)
    worker.start()
    _fleet_applied(service.engine, terminals)
    stop.set()
    worker.join(30)


def main() -> None:
    from bench_telemetry import patient_broker  # here: bench_telemetry imports this module

    parser = argparse.ArgumentParser()
    parser.add_argument("--terminals", type=int, default=8_000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--processes", type=int, default=1, help="server processes on the port")
    args = parser.parse_args()
    with patient_broker() as bootstrap, tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'jt808.db'}"
        _bound_fleet(bootstrap, url, args.terminals)
        rate, online = run(bootstrap, url, args.terminals, args.seconds, args.processes)
    print(
        f"JT/T 808 ({args.processes} process(es)): {online:,} terminals logged in, "
        f"{rate:,.0f} acknowledged reports/s"
    )


if __name__ == "__main__":
    main()
