"""CPU per report of telemetry's subscription, no broker: where `pipeline` spends its time.

The records `make bench-telemetry` publishes (M machines, each bound to a terminal, N working
reports 30 s apart, at 16:00 in Tianmen) and one work site per enterprise around them, decoded
and applied through the runtime's `apply_batch` in transactions of the service's default size,
on SQLite (a file, as the service runs), after a warm-up transaction. Prints the CPU time per report, the
decode-only CPU per report (the raw baseline's work) and, with `--profile`, the top costs.

    .venv/bin/python benchmarks/telemetry_cpu.py [--machines 2000 --reports 20000 --profile]
    .venv/bin/python benchmarks/telemetry_cpu.py --postgres   # the same on a throwaway PostgreSQL
    .venv/bin/python benchmarks/telemetry_cpu.py --registry   # CPU per registry record instead

`--registry`: the registry's records alone (each machine registered then bound, as the bench
publishes them), in transactions of the default size, after a warm-up transaction: the CPU a
record costs (decision 90: a transaction's binds applied batch-shaped).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime, timedelta
from pathlib import Path

from bench_consumer import START, machine_events, report_of
from tianmen_devkit.postgres import temporary_postgres
from tianmen_events import DomainEvent, EventMeta, decode, derive_id
from tianmen_events.registry import Hours, WorkSiteRegistered
from tianmen_runtime.projection import apply_batch
from tianmen_runtime.settings import ServiceSettings
from tianmen_runtime.testing import Record, TopicLog
from tianmen_telemetry.bootstrap import build
from tianmen_telemetry.config import Settings

TRANSACTION = ServiceSettings().consumer_transaction_size
SITE = {
    "type": "Polygon",
    "coordinates": [[[113.1, 30.6], [113.2, 30.6], [113.2, 30.7], [113.1, 30.7], [113.1, 30.6]]],
}


def _meta(event: DomainEvent, event_id: str, at: datetime) -> EventMeta:
    subject = event.subject_id()
    return EventMeta(
        id=event_id, source="/bench", time=at, subject=subject, sequence=1, correlation_id=event_id
    )


def registry(log: TopicLog, machines: int) -> Iterator[Record]:
    for e in range(min(machines, 20)):
        site = WorkSiteRegistered(
            site_id=f"site-{e}",
            enterprise_id=f"e{e}",
            name=f"site {e}",
            jurisdiction_code="429006",
            boundary=SITE,
            permitted_hours=(Hours(start="06:00", end="22:00"),),
        )
        yield log.record(site, _meta(site, derive_id("bench-site", e), START - timedelta(days=1)))
    for n in range(machines):
        for event in machine_events(n):
            yield log.record(event, _meta(event, derive_id("bench", event.type, f"m{n}"), START))


def reports(log: TopicLog, machines: int, count: int) -> Iterator[Record]:
    for i in range(count):
        report = report_of(i, machines)
        yield log.record(report, _meta(report, report.report_id, report.reported_at))


def decode_us(records: list[Record]) -> float:
    cpu = time.process_time()
    for record in records:
        decode(record.headers, record.value)
    return (time.process_time() - cpu) / len(records) * 1e6


def run(url: str, machines: int, count: int, profile: bool) -> tuple[float, float]:
    service = build(Settings(database_url=url))
    subscription = service.subscription
    assert subscription is not None
    log = TopicLog()
    apply_batch(service.engine, subscription, list(registry(log, machines)))
    records = list(reports(log, machines, count))
    batches = [records[at : at + TRANSACTION] for at in range(0, len(records), TRANSACTION)]
    apply_batch(service.engine, subscription, batches[0])  # warm-up
    profiler = cProfile.Profile() if profile else None
    gc.collect()
    cpu = time.process_time()
    if profiler:
        profiler.enable()
    for batch in batches[1:]:
        outcomes = apply_batch(service.engine, subscription, batch)
        assert set(outcomes) == {"applied"}, set(map(str, outcomes))
    if profiler:
        profiler.disable()
    spent = (time.process_time() - cpu) / (len(records) - len(batches[0])) * 1e6
    if profiler:
        sort = os.environ.get("PROFILE_SORT", "cumulative")
        pstats.Stats(profiler).sort_stats(sort).print_stats(40)
    return spent, decode_us(records)


def registry_us(url: str, machines: int) -> float:
    """CPU per registry record, applied in transactions of the default size."""
    service = build(Settings(database_url=url))
    subscription = service.subscription
    assert subscription is not None
    records = list(registry(TopicLog(), machines))
    batches = [records[at : at + TRANSACTION] for at in range(0, len(records), TRANSACTION)]
    apply_batch(service.engine, subscription, batches[0])  # warm-up
    gc.collect()
    cpu = time.process_time()
    for batch in batches[1:]:
        outcomes = apply_batch(service.engine, subscription, batch)
        assert set(outcomes) == {"applied"}, set(map(str, outcomes))
    return (time.process_time() - cpu) / (len(records) - len(batches[0])) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--machines", type=int, default=2_000)
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL")
    parser.add_argument("--registry", action="store_true", help="CPU per registry record")
    args = parser.parse_args()
    store = "PostgreSQL" if args.postgres else "SQLite"
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        url = f"sqlite:///{Path(folder) / 'telemetry.db'}"
        if args.postgres:
            url = stack.enter_context(temporary_postgres()).create_database("telemetry_cpu")
        if args.registry:
            each = registry_us(url, args.machines)
            print(
                f"telemetry ({store}): {2 * args.machines:,} registry records, transactions "
                f"of {TRANSACTION}: {each:.1f} us CPU a record"
            )
            return
        spent, decoding = run(url, args.machines, args.reports, args.profile)
    print(
        f"telemetry ({store}): {args.reports:,} reports from {args.machines:,} machines, "
        f"transactions of "
        f"{TRANSACTION}: {spent:.1f} us CPU a report (decode alone {decoding:.1f} us, "
        f"{decoding / spent:.3f} x)"
    )


if __name__ == "__main__":
    main()
