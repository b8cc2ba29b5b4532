"""`make run`: a local Kafka (KRaft) under var/kafka, then all six services; Ctrl-C stops all.

If KAFKA_BOOTSTRAP_SERVERS is set, that broker is used and no local one is started. Nothing
here stops on a failure: a service or the local broker that dies is restarted with backoff
(`Suite.supervise`, `watch_broker`), and the simulator rides out outages. Telemetry's track
retention runs as on Kubernetes (the CronJob `telemetry-prune-tracks`): at start, then daily.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from tianmen_devkit.child_logs import ChildLog, private_dir
from tianmen_devkit.kafka import KafkaStartError, LocalKafka
from tianmen_devkit.restarts import Restarts
from tianmen_devkit.simulator import DEMO_PASSWORD, Simulator
from tianmen_devkit.supervisor import SERVICES, Suite

log = logging.getLogger("tianmen.supervisor")
PRUNE_TRACKS = ("-m", "tianmen_telemetry", "prune-tracks", "--keep-days", "90")
PRUNE_EVERY_S = 24 * 3600.0


@contextlib.contextmanager
def _broker(var_dir: Path, port: int) -> Iterator[LocalKafka | str]:
    configured = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if configured:
        yield configured
        return
    print(f"starting Kafka (KRaft) on 127.0.0.1:{port}, data in {var_dir / 'kafka'} ...")
    with LocalKafka(var_dir / "kafka", port=port) as kafka:
        yield kafka


DEMO_USERS = (
    ("city", "city staff, all of Tianmen (429006)"),
    ("station", "station staff, 城区站 (429006-ST01)"),
    ("township", "township liaison, 竟陵街道 (429006001)"),
    ("inspector", "joint-enforcement inspector"),
    ("enterprise", "user of the README's enterprise"),
    ("citizen", "a citizen (tips)"),
    ("auditor", "reads everything, changes nothing"),
    ("operator", "IT: health and metrics"),
    ("platform", "terminal platform: report ingest"),
    ("lab", "testing agency"),
    ("lender", "lender"),
)


def _banner(suite: Suite) -> str:
    gateway = suite.url("gateway")
    services = "\n".join(f"  {name:<10} {suite.url(name)}" for name in SERVICES)
    users = "\n".join(f"    {name:<11} {what}" for name, what in DEMO_USERS)
    password = "$DEMO_PASSWORD" if os.environ.get("DEMO_PASSWORD") else DEMO_PASSWORD
    return (
        f"\nTianmen machinery supervision suite is up.\n"
        f"  Console    {gateway}/console/  (staff, enterprises, citizens; sign in as below)\n"
        f"  Open {gateway}/docs  (API, OpenAPI at {gateway}/openapi.json; works offline)\n"
        f"  Kafka      {suite.bootstrap_servers}\n{services}\n"
        f"  Logs       {suite.var_dir / 'log'}\n"
        f"  Demo logins (password {password}), one per role:\n{users}\n"
        f"  A token:   curl -s {gateway}/api/v1/auth/token -H 'content-type: application/json' \\\n"
        f'               -d \'{{"username": "city", "password": "{password}"}}\' | jq -r .access_token\n'
        f'             then send it as: -H "Authorization: Bearer $token"\n'
        f"Press Ctrl-C to stop.\n"
    )


def watch_broker(kafka: LocalKafka, restarts: Restarts) -> None:
    """Start the local broker again (with backoff) if it exited."""
    if kafka.running:
        return
    if not restarts.pending("kafka"):
        delay = restarts.schedule("kafka")
        log.warning("kafka exited with %s; restart in %.0fs", kafka.exit_code, delay)
    elif restarts.due("kafka"):
        try:
            kafka.start()
            restarts.started("kafka")
            log.warning("kafka restarted")
        except KafkaStartError:
            log.exception("kafka did not start; trying again")
            restarts.schedule("kafka")


def _configure_logging(var_dir: Path) -> None:
    supervisor_log = ChildLog(private_dir(var_dir / "log") / "supervisor.log")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger().addHandler(supervisor_log.handler)
    logging.getLogger("kafka").setLevel(logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tianmen_devkit.run")
    parser.add_argument("--var-dir", type=Path, default=Path("var"))
    parser.add_argument("--kafka-port", type=int, default=9092)
    parser.add_argument("--no-simulator", action="store_true", help="no simulated terminals")
    args = parser.parse_args(argv)
    os.umask(0o077)  # stores and logs may hold personal data: readable by their owner only
    var_dir = private_dir(args.var_dir.resolve())
    _configure_logging(var_dir)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with _broker(var_dir, args.kafka_port) as broker:
        local = broker if isinstance(broker, LocalKafka) else None
        suite = Suite(var_dir, local.bootstrap_servers if local else str(broker))
        suite.start()
        try:
            suite.wait_ready(timeout=120)
            if not args.no_simulator:
                _simulate(suite, stop)
            threading.Thread(target=prune_tracks_daily, args=(suite, stop), daemon=True).start()
            print(_banner(suite), flush=True)
            _supervise(suite, local, stop)
        finally:
            print("stopping services ...", flush=True)
            suite.stop()
    print("stopped.")
    return 0


def _supervise(suite: Suite, kafka: LocalKafka | None, stop: threading.Event) -> None:
    broker_restarts = Restarts()
    if kafka is not None:
        broker_restarts.started("kafka")
    while not stop.wait(1.0):
        suite.supervise()
        if kafka is not None:
            watch_broker(kafka, broker_restarts)


def prune_tracks_daily(suite: Suite, stop: threading.Event) -> None:
    """Telemetry's track retention on its store, now and every day until `stop`; a failed run
    is logged and the next one takes up what it left (a rerun is harmless)."""
    while True:
        done = subprocess.run(
            [sys.executable, *PRUNE_TRACKS],
            env=suite.env("telemetry"),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode == 0:
            log.info("telemetry: %s", done.stdout.strip())
        else:
            log.warning(
                "telemetry prune-tracks failed (%s): %s", done.returncode, done.stderr[-600:]
            )
        if stop.wait(PRUNE_EVERY_S):
            return


def _simulate(suite: Suite, stop: threading.Event) -> None:
    password = os.environ.get("DEMO_PASSWORD", DEMO_PASSWORD)
    simulator = Simulator(suite.url("gateway"), password=password)
    threading.Thread(target=simulator.run, args=(stop,), daemon=True).start()
    print(
        f"simulator: {len(simulator.machines)} terminals report every {simulator.interval:.0f}s"
        " (one of each bad actor; libs/devkit/README.md)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
