"""Per-machine daily usage as Faust tables over `telemetry.report`.

Two tables, both backed by changelog topics (`<app id>-usage-carry-changelog`, `…-usage-day-…`)
and co-partitioned with `telemetry.report` (keyed by machine): a machine's carry, and each
machine-day's usage under `machine_id|day` — a tumbling day window by event time, kept as
keys so a late report lands in its own day and replay gives the same windows. At least once:
offsets are committed after the batch is folded, and a redelivered report folds to nothing
(`domain/usage.fold`). Records stay in our CloudEvents envelope (raw bytes, our `decode`), and
the agent takes them in `take_events()` batches.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import faust
from tianmen_events.topics import TELEMETRY_REPORT

from tianmen_telemetry.usage.book import add_record

BATCH, WITHIN_S = 500, 0.5


def make_app(bootstrap: str, app_id: str, datadir: Path) -> faust.App:
    return faust.App(
        app_id,
        broker=f"kafka://{bootstrap}",
        store="memory://",  # rebuilt from the changelog on start (no RocksDB here)
        processing_guarantee="at_least_once",
        topic_partitions=TELEMETRY_REPORT.partitions,
        topic_replication_factor=1,
        topic_disable_leader=True,
        web_enabled=False,
        consumer_auto_offset_reset="earliest",
        datadir=datadir,
        producer_acks=-1,
        key_serializer="json",  # the tables' keys and values (our topic stays raw bytes)
        value_serializer="json",
    )


def install(app: faust.App, on_batch: Callable[[int], None]) -> tuple[Any, Any]:
    """The tables and the agent; `on_batch(n)` hears how many records each batch held."""
    carries = app.Table("usage-carry", key_type=str)
    days = app.Table("usage-day", key_type=str)
    reports = app.topic(
        TELEMETRY_REPORT.name,
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
    )

    @app.agent(reports)
    async def usage(stream: Any) -> None:
        async for batch in stream.take_events(BATCH, within=WITHIN_S):
            for event in batch:
                # A table write goes to the changelog partition of the event being handled.
                stream._set_current_event(event)
                message = event.message
                add_record(carries, days, _headers(message.headers), message.value)
            on_batch(len(batch))

    return carries, days


def _headers(headers: Any) -> list[tuple[str, bytes]]:
    if isinstance(headers, dict):
        return list(headers.items())
    return list(headers or [])


class Until:
    """Counts folded records; after `total`, writes the usage and the seconds from the end of
    the first batch to the end of the last into `result`, and stops the worker."""

    def __init__(self, total: int, result: Path) -> None:
        self.total, self.result, self.seen = total, result, 0
        self.started = 0.0
        self.days: Any = None

    def __call__(self, n: int) -> None:
        self.started = self.started or time.perf_counter()
        self.seen += n
        if self.seen == self.total:
            elapsed = time.perf_counter() - self.started
            usage = {key: self.days[key] for key in self.days}
            self.result.write_text(json.dumps({"seconds": elapsed, "usage": usage}))
            os.kill(os.getpid(), signal.SIGTERM)


def main(argv: list[str]) -> None:
    """python -m tianmen_telemetry.usage BOOTSTRAP APP_ID [TOTAL RESULT]"""
    bootstrap, app_id = argv[0], argv[1]
    until = Until(int(argv[2]), Path(argv[3])) if len(argv) > 2 else None
    datadir = Path("var") / "faust" / app_id
    datadir.parent.mkdir(parents=True, exist_ok=True)
    app = make_app(bootstrap, app_id, datadir)
    _, days = install(app, until or (lambda n: None))
    if until:
        until.days = days
    sys.argv[1:] = []  # the worker reads the command line as its own
    faust.Worker(app, loglevel="warning", quiet=True).execute_from_commandline()
