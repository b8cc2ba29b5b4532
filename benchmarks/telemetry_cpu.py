"""CPU per report of telemetry's subscription, no broker: where `pipeline` spends its time.

The records `make bench-telemetry` publishes (M machines, each bound to a terminal, N working
reports 30 s apart, at 16:00 in Tianmen) and one work site per enterprise around them, decoded
and applied through the runtime's `apply_batch` in transactions of the service's default size,
on SQLite (a file, as the service runs), after a warm-up transaction. Prints the CPU time per report, the
decode-only CPU per report (the raw baseline's work) and, with `--profile`, the top costs.

    .venv/bin/python benchmarks/telemetry_cpu.py [--machines 2000 --reports 20000 --profile]
    .venv/bin/python benchmarks/telemetry_cpu.py --postgres   # the same on a throwaway PostgreSQL
    .venv/bin/python benchmarks/telemetry_cpu.py --jumps 100  # 1 % of reports raise an alert
    .venv/bin/python benchmarks/telemetry_cpu.py --jumps 100 --time-alerts  # their writes' share
    .venv/bin/python benchmarks/telemetry_cpu.py --fuel-falls  # levels fall: litres levelled

On PostgreSQL it also prints the server's CPU per report (its processes' /proc times: the
server shares the worker's cores) and the statements a transaction sends (each a round trip,
an executemany's rows counted apart).
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
from typing import Any

from bench_consumer import START, machine_events, report_of
from sqlalchemy import Engine, func, select
from sqlalchemy.event import listen
from tianmen_devkit.postgres import LocalPostgres, temporary_postgres
from tianmen_events import DomainEvent, EventMeta, decode, derive_id
from tianmen_events.registry import Hours, MachineRegistered, WorkSiteRegistered
from tianmen_runtime.projection import apply_batch
from tianmen_runtime.settings import ServiceSettings
from tianmen_runtime.testing import Record, TopicLog
from tianmen_telemetry.adapters.orm import alerts
from tianmen_telemetry.bootstrap import build
from tianmen_telemetry.config import Settings

TRANSACTION = ServiceSettings().consumer_transaction_size
AWAY = 30.67  # 2.2 km north of the bench's reports
SITE = {
    "type": "Polygon",
    "coordinates": [[[113.1, 30.6], [113.2, 30.6], [113.2, 30.7], [113.1, 30.7], [113.1, 30.6]]],
}


def _meta(event: DomainEvent, event_id: str, at: datetime) -> EventMeta:
    subject = event.subject_id()
    return EventMeta(
        id=event_id, source="/bench", time=at, subject=subject, sequence=1, correlation_id=event_id
    )


def registry(log: TopicLog, machines: int, tank: float | None = None) -> Iterator[Record]:
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
            if tank is not None and isinstance(event, MachineRegistered):
                event = event.model_copy(update={"fuel_tank_litres": tank})
            yield log.record(event, _meta(event, derive_id("bench", event.type, f"m{n}"), START))


def reports(
    log: TopicLog, machines: int, count: int, jumps: int = 0, fuel_falls: bool = False
) -> Iterator[Record]:
    """With `jumps`, one report in `jumps` is 2 km off its machine's place (the latency bench's
    load, `latency_offer.JUMP_EVERY`): an implausible movement raised, cleared by the next.
    With `fuel_falls`, each machine's level falls 0.1 point a report (from 90 %): every report
    after a machine's first is a drop to level in litres (decision 120)."""
    for i in range(count):
        report = report_of(i, machines)
        if jumps and i >= machines and (i % machines + i // machines) % jumps == 0:
            report = report.model_copy(update={"latitude": AWAY})
        if fuel_falls:
            level = round(90.0 - (i // machines) % 800 / 10, 1)
            report = report.model_copy(update={"fuel_level_pct": level})
        yield log.record(report, _meta(report, report.report_id, report.reported_at))


def decode_us(records: list[Record]) -> float:
    cpu = time.process_time()
    for record in records:
        decode(record.headers, record.value)
    return (time.process_time() - cpu) / len(records) * 1e6


def server_cpu(server: LocalPostgres | None) -> float:
    """CPU seconds of the server's processes: the postmaster's own and its reaped children's,
    and each live backend's."""
    if server is None:
        return 0.0
    postmaster = (server.data_dir / "postmaster.pid").read_text().split()[0]
    spent = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == postmaster:
            spent += sum(map(int, fields[11:15]))  # utime stime cutime cstime
        elif fields[1] == postmaster:
            spent += int(fields[11]) + int(fields[12])
    return spent / os.sysconf("SC_CLK_TCK")


class Statements:
    """Statements sent (each a round trip) and rows of executemanys, while `counting`."""

    def __init__(self, engine: Engine) -> None:
        self.sent = self.rows = 0
        self.counting = False
        listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args: object) -> None:
        if self.counting:
            self.sent += 1
            params, many = args[3], args[5]
            self.rows += len(params) if many and isinstance(params, list) else 0


class AlertWrites:
    """CPU (`thread_time`) and wall time spent writing alert rows, while `counting`: the
    report batch's `raise_alert` and `clear_alert`, and, where the alerts are kept until the
    flush (decision 117), `AlertRows.flush`. Wraps whichever of them the code at hand has."""

    def __init__(self) -> None:
        self.cpu = self.wall = 0.0
        self.counting = False
        from tianmen_telemetry.adapters import report_batch

        places: list[tuple[type, str]] = [
            (report_batch.ReportBatch, "raise_alert"),
            (report_batch.ReportBatch, "clear_alert"),
        ]
        rows = getattr(report_batch, "AlertRows", None)
        if rows is not None:
            places.append((rows, "flush"))
        for kind, name in places:
            setattr(kind, name, self._timed(getattr(kind, name)))

    def _timed(self, method: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if not self.counting:
                return method(*args, **kwargs)
            cpu, wall = time.thread_time(), time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.cpu += time.thread_time() - cpu
                self.wall += time.perf_counter() - wall

        return timed


def run(
    url: str,
    machines: int,
    count: int,
    profile: bool,
    server: LocalPostgres | None = None,
    jumps: int = 0,
    time_alerts: bool = False,
    fuel_falls: bool = False,
) -> tuple[float, float]:
    writes = AlertWrites() if time_alerts else None
    service = build(Settings(database_url=url))
    subscription = service.subscription
    assert subscription is not None
    log = TopicLog()
    tank = 400.0 if fuel_falls else None
    apply_batch(service.engine, subscription, list(registry(log, machines, tank)))
    records = list(reports(log, machines, count, jumps, fuel_falls))
    batches = [records[at : at + TRANSACTION] for at in range(0, len(records), TRANSACTION)]
    apply_batch(service.engine, subscription, batches[0])  # warm-up
    profiler = cProfile.Profile() if profile else None
    statements = Statements(service.engine)
    gc.collect()
    statements.counting = True
    if writes:
        writes.counting = True
    cpu, served, wall = time.process_time(), server_cpu(server), time.perf_counter()
    if profiler:
        profiler.enable()
    for batch in batches[1:]:
        outcomes = apply_batch(service.engine, subscription, batch)
        assert set(outcomes) == {"applied"}, set(map(str, outcomes))
    if profiler:
        profiler.disable()
    applied = len(records) - len(batches[0])
    if jumps:
        with service.engine.connect() as conn:
            raised = conn.execute(select(func.count()).select_from(alerts)).scalar_one()
            cleared = conn.execute(
                select(func.count()).select_from(alerts).where(alerts.c.cleared_at.is_not(None))
            ).scalar_one()
        print(f"alerts raised {raised:,}, cleared {cleared:,}")
    spent = (time.process_time() - cpu) / applied * 1e6
    if writes:
        print(
            f"alert writes {writes.cpu / applied * 1e6:.2f} us CPU a report, "
            f"wall {writes.wall / applied * 1e6:.2f} us"
        )
    if server is not None:
        print(
            f"server {(server_cpu(server) - served) / applied * 1e6:.1f} us CPU a report, wall "
            f"{(time.perf_counter() - wall) / applied * 1e6:.1f} us; a transaction sent "
            f"{statements.sent / (len(batches) - 1):.1f} statements "
            f"(executemany rows {statements.rows / (len(batches) - 1):.1f})"
        )
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
    parser.add_argument("--jumps", type=int, default=0, help="one report in N jumps 2 km")
    parser.add_argument("--time-alerts", action="store_true", help="time the alert writes")
    parser.add_argument("--fuel-falls", action="store_true", help="levels fall, tanks of 400 L")
    args = parser.parse_args()
    store = "PostgreSQL" if args.postgres else "SQLite"
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        url, server = f"sqlite:///{Path(folder) / 'telemetry.db'}", None
        if args.postgres:
            server = stack.enter_context(temporary_postgres())
            url = server.create_database("telemetry_cpu")
        if args.registry:
            each = registry_us(url, args.machines)
            print(
                f"telemetry ({store}): {2 * args.machines:,} registry records, transactions "
                f"of {TRANSACTION}: {each:.1f} us CPU a record"
            )
            return
        spent, decoding = run(
            url,
            args.machines,
            args.reports,
            args.profile,
            server,
            args.jumps,
            args.time_alerts,
            args.fuel_falls,
        )
    print(
        f"telemetry ({store}): {args.reports:,} reports from {args.machines:,} machines, "
        f"transactions of "
        f"{TRANSACTION}: {spent:.1f} us CPU a report (decode alone {decoding:.1f} us, "
        f"{decoding / spent:.3f} x)"
    )


if __name__ == "__main__":
    main()
