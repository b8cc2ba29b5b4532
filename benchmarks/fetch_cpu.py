"""What the Kafka client's fetch costs a record: a decode-only consume of bench-fold's alerts
read with kafka-python (the issues' baseline) and with confluent-kafka (librdkafka), in turns,
each pass in a fresh process, CPU us a record, min and median (decision 111).

    .venv/bin/python benchmarks/fetch_cpu.py [--alerts 200000] [--pairs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from contextlib import nullcontext
from pathlib import Path

SCRIPT = Path(__file__).resolve()
CLIENTS = ("kafka-python", "confluent")


def one_pass(bootstrap: str, client: str) -> dict[str, float]:
    from baseline import decode_only_confluent_timed, decode_only_timed
    from tianmen_events.topics import TELEMETRY_ALERT

    read = decode_only_timed if client == "kafka-python" else decode_only_confluent_timed
    timed = read(bootstrap, [TELEMETRY_ALERT.name])
    return {
        "records": timed.records,
        "cpu_us": timed.cpu_seconds / timed.records * 1e6,
        "wall_us": timed.seconds / timed.records * 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=200_000)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--bootstrap", help="a broker the alerts are already on (else one started)")
    parser.add_argument("--pass", dest="one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_pass(*args.one)))
        return
    from bench_fold import publish_alerts
    from tianmen_devkit.broker import choose_broker
    from tianmen_events.topics import TELEMETRY_ALERT
    from tianmen_runtime.kafka_io import ensure_topics

    figures: dict[str, list[dict[str, float]]] = {client: [] for client in CLIENTS}
    with nullcontext(args.bootstrap) if args.bootstrap else choose_broker() as bootstrap:
        if not args.bootstrap:
            ensure_topics(bootstrap, [TELEMETRY_ALERT])
            publish_alerts(bootstrap, args.alerts, 200)
        for n in range(args.pairs):
            for client in CLIENTS if n % 2 == 0 else reversed(CLIENTS):
                out = subprocess.run(
                    [sys.executable, str(SCRIPT), "--pass", bootstrap, client],
                    check=True,
                    stdout=subprocess.PIPE,
                    text=True,
                ).stdout
                f = json.loads(out.splitlines()[-1])
                figures[client].append(f)
                print(
                    f"pair {n + 1} {client}: {int(f['records']):,} records, CPU "
                    f"{f['cpu_us']:.1f} us a record (wall {f['wall_us']:.1f})",
                    flush=True,
                )
    for client in CLIENTS:
        cpu = [f["cpu_us"] for f in figures[client]]
        print(f"{client}: CPU a record min {min(cpu):.1f} median {statistics.median(cpu):.1f} us")
    old, new = (statistics.median(f["cpu_us"] for f in figures[c]) for c in CLIENTS)
    print(f"saved by confluent-kafka: {old - new:.1f} us a record (medians)")


if __name__ == "__main__":
    main()
