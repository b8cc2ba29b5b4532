"""The JT/T 808 server's sustained reports/s from many concurrent terminal connections.

The server runs as its own process (`python -m tianmen_telemetry.jt808`) on a telemetry store
that already holds the fleet's bindings, publishing to the real `telemetry.report`. One client
process opens `terminals` connections; each registers and authenticates, then reports in a
closed loop (the next location once the last is acknowledged: acknowledged means durable on
the broker) for `seconds`. The figure is acknowledged locations per second over that window.
The client shares the machine's two cores with the server and the broker.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta

from tianmen_devkit.kafka_config import free_ports
from tianmen_telemetry.jt808.simulator import SimulatedTerminal, location
from tianmen_telemetry.jt808.wire import GMT8

CONNECT_AT_ONCE = 200


def run(bootstrap: str, database_url: str, terminals: int, seconds: float) -> tuple[float, int]:
    """(acknowledged reports/s, terminals that logged in)."""
    port, metrics = free_ports(2)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "JT808_PORT": str(port),
        "JT808_METRICS_PORT": str(metrics),
        "JT808_MAX_CONNECTIONS": str(terminals + 100),
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen([sys.executable, "-m", "tianmen_telemetry.jt808"], env=env)
    try:
        return asyncio.run(_load(port, terminals, seconds))
    finally:
        server.terminate()
        server.wait(30)


async def _load(port: int, terminals: int, seconds: float) -> tuple[float, int]:
    await _listening(port)
    gate = asyncio.Semaphore(CONNECT_AT_ONCE)
    fleet = [SimulatedTerminal(f"1380000{n:05d}") for n in range(terminals)]
    logged = await asyncio.gather(*(_login(t, port, gate) for t in fleet))
    online = [t for t, ok in zip(fleet, logged, strict=True) if ok]
    until = time.monotonic() + seconds
    counts = await asyncio.gather(*(_report(t, until) for t in online))
    await asyncio.gather(*(t.close() for t in fleet), return_exceptions=True)
    return sum(counts) / seconds, len(online)


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
    acceptance window), each sent once the last was acknowledged."""
    start = datetime.now(GMT8).replace(microsecond=0) - timedelta(hours=1)
    acknowledged = 0
    while time.monotonic() < until:
        at = start + timedelta(seconds=acknowledged)
        try:
            answer = await terminal.report(location(at, 30.6531, 113.1661, working=True))
        except TimeoutError:
            continue
        acknowledged += answer.result == 0
    return acknowledged
