"""Telemetry at city scale, from one run on this machine (writes var/bench/telemetry.json):

- `raw`: a plain batched kafka-python consumer decoding a pre-filled `telemetry.report`
  (default 200,000 reports from 8,000 machines) — the baseline of every ratio; beside it,
  never instead of it, `raw_confluent`: the same read with confluent-kafka (decision 111);
- `pipeline`: the real telemetry processing (live state, rules with the registry's word, open
  alerts, tracks) over the same records, on SQLite and on PostgreSQL, by one worker and by
  `--workers` worker processes in one consumer group (default 2, this machine's cores;
  `telemetry_workers.py`): all events / wall time from the first fetch to the last commit, and
  the CPU a event summed over the workers, beside raw's own CPU a event;
- `usage`: per-machine daily usage (operating/idle hours, fuel used, work windows) over the same
  reports, as Faust tables with changelog topics vs the plain batched loop, which must agree;
- `p50_ms`/`p99_ms`: report-to-alert latency while 8,000 machines report once a second for a
  minute, with telemetry's worker(s) and relay as their own processes (`telemetry_latency.py`;
  `--latency-workers`, `--latency-machines` for several offered rates, `--latency-only`);
- the JT/T 808 server's acknowledged reports/s from 8,000 concurrent connections
  (`telemetry_jt808.py`).

Raw is timed from its first batch to its last record; a pipeline from its first fetch to the
group's last commit.

    make bench-telemetry    # the issue's scale; quicker: --machines 2000 --reports 40000 --pipeline-only
    bench_telemetry.py --latency-only --latency-machines 200 2000 8000 --latency-seconds 20
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import telemetry_jt808
import telemetry_latency
import telemetry_workers
from baseline import decode_only_confluent_timed, decode_only_timed
from bench_consumer import publish, stores
from bench_results import Figure, write
from tianmen_devkit.broker import BOOTSTRAP_ENV
from tianmen_devkit.kafka import LocalKafka
from tianmen_events.topics import REGISTRY_MACHINE, TELEMETRY_REPORT
from tianmen_telemetry.usage import plain


@contextmanager
def patient_broker() -> Iterator[str]:
    """A broker of its own for each part (the latency part's worker must start from an empty
    topic), given minutes to start on a loaded machine; `$KAFKA_BOOTSTRAP_SERVERS` if set."""
    if os.environ.get(BOOTSTRAP_ENV):
        yield os.environ[BOOTSTRAP_ENV]
        return
    with tempfile.TemporaryDirectory(prefix="bench-kafka-") as folder:
        kafka = LocalKafka(Path(folder))
        kafka.start()
        try:
            kafka.wait_ready(timeout=600)
            yield kafka.bootstrap_servers
        finally:
            kafka.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--machines", type=int, default=8_000)
    parser.add_argument("--reports", type=int, default=200_000)
    parser.add_argument("--latency-seconds", type=int, default=60)
    parser.add_argument("--drain-seconds", type=float, default=180)
    parser.add_argument("--jt808-seconds", type=float, default=30)
    parser.add_argument(
        "--workers", type=int, default=2, help="telemetry workers in one group (besides 1)"
    )
    parser.add_argument(
        "--latency-workers",
        type=int,
        nargs="+",
        default=[1, 2],
        help="telemetry worker processes for the latency part, one run each (default 1 2)",
    )
    parser.add_argument(
        "--latency-machines",
        type=int,
        nargs="+",
        help="machines x 1/s offered in the latency part, one run each (default --machines)",
    )
    parser.add_argument(
        "--latency-slices",
        type=int,
        default=20,
        help="each second's reports go out in this many even slices (1: all at once)",
    )
    parser.add_argument(
        "--latency-only",
        action="store_true",
        help="the report-to-alert latency part only (no raw, pipelines, usage or JT/T 808)",
    )
    parser.add_argument(
        "--pipeline-only",
        action="store_true",
        help="raw and the pipelines only: no usage, report-to-alert latency or JT/T 808",
    )
    args = parser.parse_args()
    figures: list[Figure] = []
    details: dict[str, Any] = {"machines": args.machines, "reports": args.reports}
    raw = None if args.latency_only else throughput(args, figures, details)
    if not args.pipeline_only:
        latency_and_jt808(args, raw, figures, details)
    name = "telemetry_latency" if args.latency_only else "telemetry"  # keeps the full run's file
    print(f"written to {write(name, 'reports/s', figures, details=details)}")


def throughput(args: argparse.Namespace, figures: list[Figure], details: dict[str, Any]) -> float:
    with patient_broker() as bootstrap, stores() as urls:
        total = publish(bootstrap, args.machines, args.reports)
        timed = decode_only_timed(bootstrap, (REGISTRY_MACHINE.name, TELEMETRY_REPORT.name))
        raw, raw_cpu_us = timed.records / timed.seconds, timed.cpu_seconds / timed.records * 1e6
        print(f"{args.reports:,} reports from {args.machines:,} machines ({total:,} events)")
        print(f"raw (decode only):            {raw:>10,.0f} ev/s   {raw_cpu_us:>7.1f} us CPU/ev")
        figures.append(Figure("raw decode", raw, "raw decode", raw))
        details["raw_cpu_us_per_event"] = raw_cpu_us
        beside = decode_only_confluent_timed(
            bootstrap, (REGISTRY_MACHINE.name, TELEMETRY_REPORT.name)
        )
        details["raw_confluent"] = {  # beside the baseline, not instead of it (decision 111)
            "per_s": round(beside.records / beside.seconds),
            "cpu_us_per_event": round(beside.cpu_seconds / beside.records * 1e6, 1),
        }
        print(
            f"raw_confluent (decode only):  {details['raw_confluent']['per_s']:>10,} ev/s   "
            f"{details['raw_confluent']['cpu_us_per_event']:>7.1f} us CPU/ev"
        )
        for store, url in urls.items():
            for workers in sorted({1, args.workers}):
                measured = telemetry_workers.run(bootstrap, url(f"bench_{workers}"), workers)
                pipeline(store, measured, raw, figures, details)
        target(details["pipelines"], raw, details)
        if not args.pipeline_only:
            usage(bootstrap, args.reports, raw, figures, details)
    return float(raw)


def pipeline(
    store: str,
    measured: telemetry_workers.Run,
    raw: float,
    figures: list[Figure],
    details: dict[str, Any],
) -> None:
    label = f"pipeline, {store}, {measured.workers} worker{'s' if measured.workers > 1 else ''}"
    rate = measured.rate
    print(
        f"{label:<32}{rate:>10,.0f} ev/s {rate / raw:>7.3f} x raw, "
        f"{measured.cpu_us_per_event:,.1f} us CPU/ev summed over workers "
        f"({measured.fetched:,} records fetched in {measured.seconds:,.1f} s)"
    )
    figures.append(Figure(label, rate, "raw decode", raw))
    details.setdefault("pipelines", []).append({"store": store, **asdict(measured)})


def target(pipelines: list[dict[str, Any]], raw: float, details: dict[str, Any]) -> None:
    """The figure that answers issue 8's target: PostgreSQL with the most workers."""
    answer = max((p for p in pipelines if p["store"] == "postgresql"), key=lambda p: p["workers"])
    rate = answer["events"] / answer["seconds"]
    met = {"8000_per_s": rate >= 8_000, "half_raw": rate >= 0.5 * raw}
    details["target"] = {"store": answer["store"], "workers": answer["workers"], **met}
    print(
        f"target (pipeline, {answer['store']}, {answer['workers']} workers): {rate:,.0f} ev/s; "
        f">= 8,000/s: {met['8000_per_s']}, >= 0.5 x raw: {met['half_raw']}"
    )


def usage(
    bootstrap: str, reports: int, raw: float, figures: list[Figure], details: dict[str, Any]
) -> None:
    expected, plain_s = plain.run(bootstrap, [TELEMETRY_REPORT.name], reports)
    with tempfile.TemporaryDirectory() as folder:
        result = Path(folder) / "usage.json"
        command = [sys.executable, "-m", "tianmen_telemetry.usage", bootstrap]
        command += [f"bench-usage-{uuid.uuid4()}", str(reports), str(result)]
        subprocess.run(command, cwd=folder, timeout=1800, check=True)
        faust = json.loads(result.read_text())
    details["usage_agree"] = faust["usage"] == expected
    details["usage_machine_days"] = len(expected)
    for label, seconds in (("plain loop", plain_s), ("faust tables", faust["seconds"])):
        rate = reports / seconds
        print(f"usage, {label:<22}{rate:>10,.0f} reports/s {rate / raw:>7.3f} x raw")
        figures.append(Figure(f"usage, {label}", rate, "raw decode", raw))
    print(f"usage: Faust and the plain loop agree: {details['usage_agree']}")


def latency_and_jt808(
    args: argparse.Namespace, raw: float | None, figures: list[Figure], details: dict[str, Any]
) -> None:
    for machines in args.latency_machines or [args.machines]:
        for workers in args.latency_workers:
            with patient_broker() as bootstrap:
                latency(args, bootstrap, machines, workers, details)
    if raw is None:  # --latency-only
        return
    with patient_broker() as bootstrap, tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'jt808.db'}"
        telemetry_jt808._bound_fleet(bootstrap, url, args.machines)  # the server's bindings
        rate, online = telemetry_jt808.run(bootstrap, url, args.machines, args.jt808_seconds)
        details["jt808"] = {"terminals": args.machines, "logged_in": online, "reports_per_s": rate}
        print(f"JT/T 808: {online:,} terminals logged in, {rate:,.0f} acknowledged reports/s")
        figures.append(Figure("jt808 server", rate, "raw decode", raw))


def latency(
    args: argparse.Namespace, bootstrap: str, machines: int, workers: int, details: dict[str, Any]
) -> None:
    measured = telemetry_latency.run(
        bootstrap,
        machines,
        args.latency_seconds,
        args.drain_seconds,
        workers,
        slices=args.latency_slices,
    )
    details.setdefault("latency", []).append({"machines": machines, **asdict(measured)})
    stages = ", ".join(
        f"{name} {s.p50_ms:,.0f}/{s.p99_ms:,.0f}" for name, s in measured.stages.items()
    )
    print(
        f"report-to-alert, {machines:,} machines x 1/s offered at "
        f"{measured.offered_per_s:,.0f}/s, {workers} worker{'s' if workers > 1 else ''}: "
        f"p50 {_ms(measured.p50_ms)}, p99 {_ms(measured.p99_ms)} "
        f"({measured.missing} of {measured.expected} alerts not within "
        f"{args.drain_seconds:.0f} s of the last report); stages p50/p99 ms: {stages}; "
        f"workers' CPU {measured.worker_cpu_us:,.0f} us a report on "
        f"{measured.worker_cores:.2f} cores, waiting for a CPU {measured.worker_waited:.2f} of "
        f"the time, relay's {measured.relay_cpu_us:,.0f} us; "
        f"load {measured.load_average[0]:.1f} -> {measured.load_average[1]:.1f}",
        flush=True,
    )


def _ms(value: float) -> str:
    return "not within the drain" if math.isinf(value) else f"{value:,.0f} ms"


if __name__ == "__main__":
    main()
