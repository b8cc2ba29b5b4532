"""Telemetry at city scale: the real telemetry processing (live state, rules with the
registry's word, open alerts, tracks) over a pre-filled `telemetry.report`, on SQLite and on
PostgreSQL, against a plain batched kafka-python consumer that only decodes the same records.

Figures are reports/s and the ratio to that raw decode (same run, same records); each consumer
is timed from its first record to its last. The issue's scale is 200,000 reports from 8,000
machines (`--machines 8000 --reports 200000`); the default is smaller so a shared machine
finishes it in minutes, and the output says which scale ran.

    make bench-telemetry       # or: python benchmarks/bench_telemetry.py --machines 8000 --reports 200000
"""

from __future__ import annotations

import argparse

from baseline import decode_only
from bench_consumer import publish, stores, subscription_run
from bench_results import Figure, write
from tianmen_devkit.broker import choose_broker
from tianmen_events.topics import REGISTRY_MACHINE, REGISTRY_SITE, TELEMETRY_REPORT
from tianmen_runtime.kafka_io import ensure_topics
from tianmen_runtime.settings import ServiceSettings

TRANSACTION = ServiceSettings().consumer_transaction_size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--machines", type=int, default=2_000)
    parser.add_argument("--reports", type=int, default=40_000)
    args = parser.parse_args()
    with choose_broker() as bootstrap, stores() as urls:
        ensure_topics(bootstrap, [REGISTRY_SITE])  # consumed too: a missing topic stalls the group
        total = publish(bootstrap, args.machines, args.reports)
        # The raw rate is what it read over its time: a reused broker may hold earlier records.
        read, seconds = decode_only(bootstrap, (REGISTRY_MACHINE.name, TELEMETRY_REPORT.name))
        raw = read / seconds
        print(f"{args.reports:,} reports from {args.machines:,} machines ({total:,} events)")
        print(f"raw (decode only): {raw:,.0f} ev/s")
        figures = [Figure("raw decode", raw, "raw decode", raw)]
        for store, url in urls.items():
            elapsed = subscription_run(
                bootstrap, total, url("bench_telemetry"), transaction_size=TRANSACTION
            )
            rate = total / elapsed
            print(f"pipeline, {store:<11}{rate:>10,.0f} ev/s {rate / raw:>7.3f} x raw")
            figures.append(Figure(f"pipeline, {store}", rate, "raw decode", raw))
        print(f"written to {write('telemetry', 'reports/s', figures)}")


if __name__ == "__main__":
    main()
