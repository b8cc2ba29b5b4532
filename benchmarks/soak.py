"""`make soak` (not in CI): the whole suite under a steady fleet for a long time.

Default: 30 minutes of 8,000 simulated machines reporting once a second each, through the
gateway in batches. Every minute it samples the resident memory (RSS) of every process — each
service and the broker — and every consumer group's lag (against the broker's end offsets),
then says whether memory stayed flat and lag bounded. Shorter runs check the harness:
`python benchmarks/soak.py --machines 300 --minutes 3 --sample-every 30`.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
from tianmen_devkit.kafka import LocalKafka
from tianmen_devkit.kafka_config import free_ports
from tianmen_devkit.lag import group_lags
from tianmen_devkit.simulator import Machine, Simulator, fleet
from tianmen_devkit.steady import Sample, verdict
from tianmen_devkit.supervisor import SERVICES, Suite

BATCH = 500


@contextmanager
def running_suite(folder: Path) -> Iterator[tuple[Suite, LocalKafka]]:
    ports = dict(zip(SERVICES, free_ports(len(SERVICES)), strict=True))
    with (
        LocalKafka(folder / "kafka") as kafka,
        Suite(folder, kafka.bootstrap_servers, ports).running(180) as suite,
    ):
        yield suite, kafka


def report_loop(
    api: httpx.Client, machines: list[Machine], stop: threading.Event
) -> dict[int, int]:
    """Every second, one report per machine in batches; counts the answers by status."""
    answers: dict[int, int] = {}
    while not stop.is_set():
        started = time.monotonic()
        now = datetime.now(UTC).isoformat()
        for start in range(0, len(machines), BATCH):
            reports = [_report(m, now) for m in machines[start : start + BATCH]]
            try:
                status = api.post("/telemetry/reports", json={"reports": reports}).status_code
            except httpx.TransportError:
                status = 0
            answers[status] = answers.get(status, 0) + len(reports)
        stop.wait(max(0.0, 1.0 - (time.monotonic() - started)))
    return answers


def _report(m: Machine, now: str) -> dict[str, object]:
    return {
        "terminal_id": m.terminal_id,
        "reported_at": now,
        "latitude": m.site[0],
        "longitude": m.site[1],
        "working": True,
    }


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def sample(suite: Suite, kafka: LocalKafka) -> Sample:
    rss = {name: rss_kib(p.pid) for name, p in suite.processes.items() if p.poll() is None}
    if kafka.pid is not None and kafka.running:
        rss["kafka"] = rss_kib(kafka.pid)
    return Sample(time.monotonic(), rss, group_lags(suite.bootstrap_servers))


def soak(
    running: tuple[Suite, LocalKafka], machines: list[Machine], minutes: float, every: float
) -> list[Sample]:
    suite, kafka = running
    api = httpx.Client(base_url=f"{suite.url('gateway')}/api/v1", timeout=30)
    print(f"registering {len(machines)} machines ...", flush=True)
    while not Simulator(suite.url("gateway"), machines=machines).register():
        time.sleep(1)
    stop, answers = threading.Event(), {}
    load = threading.Thread(target=lambda: answers.update(report_loop(api, machines, stop)))
    load.start()
    samples = []
    deadline = time.monotonic() + minutes * 60
    while time.monotonic() < deadline:
        stop.wait(min(every, max(0.0, deadline - time.monotonic())))
        samples.append(sample(suite, kafka))
        print(samples[-1].line(), flush=True)
    stop.set()
    load.join(60)
    print(f"reports answered, by status: {dict(sorted(answers.items()))}")
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/soak.py")
    parser.add_argument("--machines", type=int, default=8000)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--sample-every", type=float, default=60, help="seconds")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="tianmen-soak-") as folder,
        running_suite(Path(folder)) as running,
    ):
        samples = soak(running, fleet(args.machines), args.minutes, args.sample_every)
    ok, lines = verdict(samples, per_second=args.machines)
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
