"""``python -m tianmen_telemetry prune-tracks --keep-days 90``: track retention.

Deletes the positions older than the retention, in bounded batches on SQLite, whole local days
(partitions) on PostgreSQL, where it also makes the next week's day partitions ahead
(`adapters/tracks.prune`, `make_days_ahead`; decision 112), and logs what went. Retention is storage, not derived state: the cut is the wall clock's, and a
position past it is gone (a replay of `telemetry.report`, kept 7 days, cannot bring it back
either). Run daily: the Kubernetes CronJob `telemetry-prune-tracks`, and `make run`.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from tianmen_runtime import logs
from tianmen_runtime.db import make_engine

from tianmen_telemetry.adapters.tracks import PRUNE_BATCH, Pruned, make_days_ahead, prune
from tianmen_telemetry.config import get_settings

COMMAND = "prune-tracks"
KEEP_DAYS = 90  # issue 8: 90 days of history

log = logging.getLogger(__name__)


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    settings = get_settings()
    logs.configure("telemetry", settings.log_level)
    engine = make_engine(settings.database_url, create_tables=False)
    try:
        pruned = prune_older_than(engine, args.keep_days, args.batch, datetime.now(UTC))
    finally:
        engine.dispose()
    dropped = f" and {pruned.days} day partitions" if pruned.days else ""
    print(
        f"pruned {pruned.rows} track points of {pruned.machines} machines "
        f"in {pruned.batches} batches{dropped}"
    )
    return 0


def prune_older_than(engine: Engine, keep_days: int, batch: int, now: datetime) -> Pruned:
    """Positions older than `keep_days` before `now` deleted (on PostgreSQL: the local days
    ended by then dropped, and the days ahead made); what went, logged."""
    before = now - timedelta(days=keep_days)
    started = time.perf_counter()
    make_days_ahead(engine, now)
    pruned = prune(engine, before, batch)
    log.info(
        "track points pruned",
        extra={
            "before": before.isoformat(),
            "rows": pruned.rows,
            "machines": pruned.machines,
            "batches": pruned.batches,
            "days": pruned.days,
            "seconds": round(time.perf_counter() - started, 3),
        },
    )
    return pruned


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"python -m tianmen_telemetry {COMMAND}",
        description="Delete track points older than the retention, in bounded batches "
        "(on PostgreSQL: drop the day partitions past it).",
    )
    parser.add_argument(
        "--keep-days",
        type=_positive,
        default=KEEP_DAYS,
        help=f"days of track kept, counted back from now (default {KEEP_DAYS})",
    )
    parser.add_argument(
        "--batch",
        type=_positive,
        default=PRUNE_BATCH,
        help=f"positions deleted a transaction at most (default {PRUNE_BATCH})",
    )
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value
