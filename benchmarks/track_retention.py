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

from sqlalchemy import Engine, delete, event
from sqlalchemy.exc import OperationalError
from tianmen_devkit.postgres import temporary_postgres
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime import schema
from tianmen_runtime.db import WRITE_INTENT, make_engine
from tianmen_telemetry.adapters.orm import metadata, track_points
from tianmen_telemetry.adapters.tracks import keep_points, prune

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/track_retention.py")
    parser.add_argument("--machines", type=int, default=100)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args(argv)
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
