"""Track retention: what deleting a day's positions past the cut costs, main's one DELETE against
`prune`'s batches, and what a writer beside it (the worker's transactions) waits meanwhile.

`python benchmarks/track_retention.py [--machines 100] [--pairs 3] [--backend sqlite|postgresql]`:
each machine has one day past the cut and one day kept, one position every 30 s (2,880 a day;
issue 8 plans 8,000 machines, 23 M rows a day: this is that day scaled down). Old and new run in
turns on the same store, the day past the cut written again before each run. Per run: wall
time, the pruning thread's CPU time per row deleted (client side: the writer has its own
thread; PostgreSQL's server is not counted), the longest delete transaction, and the longest
and p99 wait of a writer inserting one position every 5 ms in a transaction of its own, and how
many of its writes the store refused.

`--days N` (PostgreSQL, decision 112): main's plain table (migrations to telemetry_0013) against
the day partitions (every migration), each in a database of its own on one server, holding the
same positions: `--machines` machines, one every 30 s, N local days kept and one day past the
cut. Per pair (the two in turns, the order swapped every pair): a local day's track of each of
`--sample` machines through `track_page` (pages of 500, as the API reads it), wall ms per
day's track; then one prune each (the batched deletes on the plain table, the partition drop on
the other), its wall time, and the VACUUM the deletes leave on the plain table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from alembic import command
from sqlalchemy import Engine, delete, event, text
from sqlalchemy.exc import OperationalError
from tianmen_devkit.postgres import temporary_postgres
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime import schema
from tianmen_runtime.db import WRITE_INTENT, make_engine
from tianmen_telemetry.adapters.orm import metadata, track_points
from tianmen_telemetry.adapters.tracks import (
    day_bounds,
    ensure_days,
    keep_points,
    local_day,
    prune,
    track_page,
)
from tianmen_telemetry.domain.register import CHINA

CUT = datetime(2026, 9, 1, tzinfo=UTC)
PER_DAY = 2_880


def _day(machines: int, start: datetime, prefix: str = "m") -> Iterator[list[TerminalReported]]:
    for m in range(machines):
        machine = f"{prefix}{m:05d}"
        yield [
            TerminalReported(
                report_id=f"{machine}-{start.isoformat()}-{n}",
                terminal_id=f"t-{machine}",
                machine_id=machine,
                enterprise_id="e-1",
                reported_at=start + timedelta(seconds=30 * n),
                latitude=30.65,
                longitude=113.16,
                working=True,
            )
            for n in range(PER_DAY)
        ]


def _fill(engine: Engine, machines: int, start: datetime) -> None:
    for reports in _day(machines, start):
        with engine.begin() as conn:
            keep_points(conn, reports)


def old_prune(engine: Engine, before: datetime) -> int:
    """main's prune: every row past the cut in one DELETE, one transaction."""
    with engine.begin() as conn:
        gone: int = conn.execute(
            delete(track_points).where(track_points.c.reported_at < before)
        ).rowcount
    return gone


def new_prune(engine: Engine, before: datetime) -> int:
    return prune(engine, before).rows


@contextmanager
def _transactions(engine: Engine) -> Iterator[list[float]]:
    """The length of every transaction of `engine` that deleted, begin to commit."""
    spans: list[float] = []
    began: dict[int, float] = {}
    deleted: set[int] = set()

    def on_begin(conn: Any) -> None:
        began[id(conn)] = time.perf_counter()

    def on_execute(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("DELETE"):
            deleted.add(id(conn))

    def on_commit(conn: Any) -> None:
        if id(conn) in deleted:
            spans.append(time.perf_counter() - began[id(conn)])
            deleted.discard(id(conn))

    event.listen(engine, "begin", on_begin)
    event.listen(engine, "after_cursor_execute", on_execute)
    event.listen(engine, "commit", on_commit)
    try:
        yield spans
    finally:
        event.remove(engine, "begin", on_begin)
        event.remove(engine, "after_cursor_execute", on_execute)
        event.remove(engine, "commit", on_commit)


def _writer(url: str, stop: threading.Event, waits: list[float], failed: list[str]) -> None:
    """The worker's stand-in: one position every 5 ms, each in a transaction of its own begun
    as the worker begins its (write intent); a write the store refused is counted."""
    engine = make_engine(url, create_tables=False)
    at = CUT + timedelta(days=5)
    n = 0
    while not stop.is_set():
        report = next(_day(1, at + timedelta(seconds=n), prefix="w"))[0]
        started = time.perf_counter()
        try:
            with engine.connect() as conn:
                conn.execution_options(**WRITE_INTENT)
                with conn.begin():
                    keep_points(conn, [report])
        except OperationalError as refused:
            failed.append(str(refused.orig))
        waits.append(time.perf_counter() - started)
        n += 1
        stop.wait(0.005)
    engine.dispose()


def _run(url: str, engine: Engine, how: str, machines: int) -> dict[str, float]:
    _fill(engine, machines, CUT - timedelta(days=1))
    waits: list[float] = []
    failed: list[str] = []
    stop = threading.Event()
    writer = threading.Thread(target=_writer, args=(url, stop, waits, failed))
    writer.start()
    time.sleep(0.2)
    with _transactions(engine) as spans:
        wall, cpu = time.perf_counter(), time.thread_time()
        rows = (old_prune if how == "old" else new_prune)(engine, CUT)
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    stop.set()
    writer.join()
    assert rows == machines * PER_DAY, rows
    waits.sort()
    return {
        "wall_s": wall,
        "cpu_us_row": cpu / rows * 1e6,
        "longest_tx_ms": max(spans) * 1e3,
        "transactions": len(spans),
        "writer_max_ms": waits[-1] * 1e3,
        "writer_p99_ms": waits[max(0, int(len(waits) * 0.99) - 1)] * 1e3,
        "writer_failed": len(failed),
    }


def bench(url: str, machines: int, pairs: int) -> None:
    engine = make_engine(url, create_tables=False)
    schema.upgrade(engine, "telemetry", metadata)
    _fill(engine, machines, CUT)  # the day kept
    runs: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
    for pair in range(pairs):
        for how in ("old", "new") if pair % 2 == 0 else ("new", "old"):
            runs[how].append(_run(url, engine, how, machines))
            print(f"  pair {pair + 1} {how}: " + _fmt(runs[how][-1]), flush=True)
    for how, measured in runs.items():
        summary = {
            key: f"min {min(r[key] for r in measured):.2f} median "
            f"{statistics.median(r[key] for r in measured):.2f}"
            for key in measured[0]
        }
        print(f"{how}: " + "; ".join(f"{k} {v}" for k, v in summary.items()))
    engine.dispose()


def _fmt(figures: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in figures.items())


DAY_CUT = datetime(2026, 9, 1, tzinfo=CHINA)  # a local midnight: both stores drop one day


def _fill_sql(engine: Engine, machines: int, start: datetime, days: int) -> None:
    """`machines` positions every 30 s from `start` for `days` days, written an hour at a time
    in time order (as the worker writes them: a day's positions of one machine spread over the
    day's pages, not next to each other)."""
    insert = text(
        "INSERT INTO track_points (machine_id, reported_at, report_id, latitude, longitude, "
        "working) SELECT 'm' || lpad(m::text, 5, '0'), "
        "CAST(:start AS timestamp) + n * interval '30 seconds', "
        "md5(m::text || '-' || n::text)::uuid::text, 30.65 + n * 1e-6, 113.16, true "
        "FROM generate_series(CAST(:first AS int), CAST(:last AS int)) n, "
        "generate_series(0, CAST(:machines AS int) - 1) m "
        "ORDER BY n, m"
    )
    begin = start.astimezone(UTC).replace(tzinfo=None)
    for hour in range(days * 24):
        with engine.begin() as conn:
            conn.execute(
                insert,
                {
                    "start": begin,
                    "first": hour * 120,
                    "last": hour * 120 + 119,
                    "machines": machines,
                },
            )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE track_points"))


def _day_track(engine: Engine, machine: str, day: datetime) -> float:
    """ms to read the machine's local day through `track_page`, all pages (of 500)."""
    since, until = day_bounds(local_day(day))
    since, until = since.replace(tzinfo=UTC), until.replace(tzinfo=UTC)
    started, rows, cursor = time.perf_counter(), 0, None
    while True:
        page, cursor_text = track_page(engine, machine, since, until, cursor, 500)
        rows += len(page)
        if cursor_text is None:
            break
        cursor = (page[-1]["reported_at"].isoformat(),)
    assert rows == PER_DAY, rows
    return (time.perf_counter() - started) * 1e3


_EXPLAIN = text(
    "EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM track_points WHERE machine_id = :machine "
    "AND reported_at >= :since AND reported_at < :until ORDER BY reported_at LIMIT :limit"
)


def _server_ms(engine: Engine, machine: str, day: datetime) -> float:
    """The server's own ms (planning and execution) for `track_page`'s query of the whole day
    at once: what the partitions change, without the client's rows."""
    since, until = day_bounds(local_day(day))
    params = {"machine": machine, "since": since, "until": until, "limit": PER_DAY + 1}
    with engine.connect() as conn:
        [plan] = conn.execute(_EXPLAIN, params).scalar_one()
    assert plan["Plan"]["Actual Rows"] == PER_DAY, plan
    return float(plan["Planning Time"] + plan["Execution Time"])


POLL = 500  # positions a worker's transaction keeps: one poll (CONSUMER_TRANSACTION_SIZE)


def _write_polls(engine: Engine, day: datetime, pair: int, polls: int = 20) -> float:
    """Wall us a position to keep `polls` polls of positions of machines of their own, each
    poll in a transaction, as the worker does (client and server; the partitioned table routes
    each row to its day)."""
    batches = [
        [
            TerminalReported(
                report_id=f"w{pair}-{n}-{m}",
                terminal_id=f"t-w{m}",
                machine_id=f"w{pair:02d}{m:05d}",
                enterprise_id="e-1",
                reported_at=day + timedelta(seconds=n),
                latitude=30.65,
                longitude=113.16,
                working=True,
            )
            for m in range(POLL)
        ]
        for n in range(polls)
    ]
    started = time.perf_counter()
    for batch in batches:
        with engine.begin() as conn:
            keep_points(conn, batch)
    return (time.perf_counter() - started) / (polls * POLL) * 1e6


def bench_days(machines: int, days: int, pairs: int, sample: int) -> None:
    with temporary_postgres() as server:
        plain = make_engine(server.create_database("plain"), create_tables=False)
        with schema.alembic_config(plain, "telemetry", metadata) as config:
            command.upgrade(config, "telemetry_0013")  # main's table
        parted = make_engine(server.create_database("days"), create_tables=False)
        schema.upgrade(parted, "telemetry", metadata)
        start = DAY_CUT - timedelta(days=1)
        ensure_days(parted, [local_day(start + timedelta(days=n)) for n in range(days + 1)])
        stores = {"plain": plain, "days": parted}
        for name, engine in stores.items():
            began = time.perf_counter()
            _fill_sql(engine, machines, start, days + 1)
            print(f"  {name}: filled in {time.perf_counter() - began:.1f} s", flush=True)
        step = max(1, machines // sample)
        picked = [f"m{m:05d}" for m in range(0, machines, step)][:sample]
        day = DAY_CUT + timedelta(days=days // 2, hours=12)  # a kept local day
        timings: dict[str, dict[str, list[float]]] = {
            name: {"api": [], "server": []} for name in stores
        }
        for pair in range(pairs):
            for name in ("plain", "days") if pair % 2 == 0 else ("days", "plain"):
                api = [_day_track(stores[name], machine, day) for machine in picked]
                server_ms = [_server_ms(stores[name], machine, day) for machine in picked]
                timings[name]["api"] += api
                timings[name]["server"] += server_ms
                print(
                    f"  pair {pair + 1} {name}: a day's track through the API's pages "
                    f"median {statistics.median(api):.2f} ms; server (plan + execute) "
                    f"median {statistics.median(server_ms):.2f} ms",
                    flush=True,
                )
        for name, kinds in timings.items():
            print(
                f"{name}: a day's track ({PER_DAY} positions) "
                + "; ".join(
                    f"{kind} min {min(ms):.2f} ms median {statistics.median(ms):.2f} ms"
                    for kind, ms in kinds.items()
                )
            )
        for kind in ("api", "server"):
            ratio = statistics.median(timings["days"][kind]) / statistics.median(
                timings["plain"][kind]
            )
            print(f"days / plain, {kind} median: {ratio:.2f}x")
        writes: dict[str, list[float]] = {name: [] for name in stores}
        for pair in range(pairs):
            for name in ("plain", "days") if pair % 2 == 0 else ("days", "plain"):
                writes[name].append(_write_polls(stores[name], day, pair))
        for name, measured in writes.items():
            print(
                f"{name}: keep_points, polls of {POLL} positions: wall a position min "
                f"{min(measured):.2f} us median {statistics.median(measured):.2f} us"
            )
        for name, engine in stores.items():
            began = time.perf_counter()
            pruned = prune(engine, DAY_CUT)
            took = time.perf_counter() - began
            assert pruned.rows == machines * PER_DAY, pruned
            line = f"{name}: prune of one day ({pruned.rows:,} rows) {took:.2f} s"
            if name == "plain":
                began = time.perf_counter()
                with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(text("VACUUM track_points"))
                line += f", then VACUUM {time.perf_counter() - began:.2f} s"
            print(line, flush=True)
        plain.dispose()
        parted.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/track_retention.py")
    parser.add_argument("--machines", type=int, default=100)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--days", type=int, default=0, help="PostgreSQL: days kept, partitioned")
    parser.add_argument("--sample", type=int, default=20, help="machines whose day is read")
    args = parser.parse_args(argv)
    if args.days:
        rows = args.machines * PER_DAY * (args.days + 1)
        print(f"postgresql: {args.machines} machines x {args.days + 1} days, {rows:,} rows")
        bench_days(args.machines, args.days, args.pairs, args.sample)
        return 0
    rows = args.machines * PER_DAY
    print(f"{args.backend}: {args.machines} machines, {rows:,} rows past the cut, {rows:,} kept")
    if args.backend == "sqlite":
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory(prefix="tianmen-retention-") as folder:
            bench(f"sqlite:///{Path(folder) / 'telemetry.db'}", args.machines, args.pairs)
    else:
        with temporary_postgres() as server:
            bench(server.create_database("retention"), args.machines, args.pairs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
