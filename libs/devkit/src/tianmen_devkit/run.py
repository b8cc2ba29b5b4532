"""`make run`: a local Kafka (KRaft) under var/kafka, then all six services; Ctrl-C stops all.

If KAFKA_BOOTSTRAP_SERVERS is set, that broker is used and no local one is started.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

from tianmen_devkit.kafka import LocalKafka
from tianmen_devkit.simulator import Simulator
from tianmen_devkit.supervisor import SERVICES, Suite


@contextlib.contextmanager
def _broker(var_dir: Path, port: int) -> Iterator[str]:
    configured = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if configured:
        yield configured
        return
    print(f"starting Kafka (KRaft) on 127.0.0.1:{port}, data in {var_dir / 'kafka'} ...")
    with LocalKafka(var_dir / "kafka", port=port) as kafka:
        yield kafka.bootstrap_servers


def _banner(suite: Suite) -> str:
    gateway = suite.url("gateway")
    services = "\n".join(f"  {name:<10} {suite.url(name)}" for name in SERVICES)
    return (
        f"\nTianmen machinery supervision suite is up.\n"
        f"  Open {gateway}/docs  (API, OpenAPI at {gateway}/openapi.json)\n"
        f"  Kafka      {suite.bootstrap_servers}\n{services}\n"
        f"  Logs       {suite.var_dir / 'log'}\n"
        f"Press Ctrl-C to stop.\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tianmen_devkit.run")
    parser.add_argument("--var-dir", type=Path, default=Path("var"))
    parser.add_argument("--kafka-port", type=int, default=9092)
    parser.add_argument("--no-simulator", action="store_true", help="no simulated terminals")
    args = parser.parse_args(argv)
    var_dir = args.var_dir.resolve()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with _broker(var_dir, args.kafka_port) as bootstrap:
        suite = Suite(var_dir, bootstrap)
        suite.start()
        try:
            suite.wait_ready(timeout=120)
            if not args.no_simulator:
                _simulate(suite, stop)
            print(_banner(suite), flush=True)
            while not stop.wait(1.0):
                _check_alive(suite)
        finally:
            print("stopping services ...", flush=True)
            suite.stop()
    print("stopped.")
    return 0


def _simulate(suite: Suite, stop: threading.Event) -> None:
    simulator = Simulator(suite.url("gateway"))
    threading.Thread(target=simulator.run, args=(stop,), daemon=True).start()
    print(f"simulator: {len(simulator.machines)} terminals report every {simulator.interval:.0f}s")


def _check_alive(suite: Suite) -> None:
    for name, process in suite.processes.items():
        if process.poll() is not None:
            raise SystemExit(f"{name} exited ({process.returncode}):\n{suite.tail(name)}")


if __name__ == "__main__":
    raise SystemExit(main())
