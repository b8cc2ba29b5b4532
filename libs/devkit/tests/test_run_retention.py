"""`make run` prunes telemetry's tracks as the CronJob does: at start, on the suite's store."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tianmen_devkit.run import prune_tracks_daily
from tianmen_devkit.supervisor import Suite
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime.db import make_engine
from tianmen_telemetry.adapters.orm import metadata, track_points
from tianmen_telemetry.adapters.tracks import keep_points


def _report(days_back: int) -> TerminalReported:
    return TerminalReported(
        report_id=f"report-{days_back}",
        terminal_id="terminal-1",
        machine_id="machine-1",
        enterprise_id="enterprise-1",
        reported_at=datetime.now(UTC) - timedelta(days=days_back),
        latitude=30.6531,
        longitude=113.1661,
        working=True,
    )


def test_the_suite_prunes_telemetrys_tracks_past_90_days_at_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    suite = Suite(tmp_path, "127.0.0.1:1")  # no broker: pruning needs only the store
    engine = make_engine(suite.database_url("telemetry"), metadata)
    with engine.begin() as conn:
        keep_points(conn, [_report(days) for days in (120, 91, 30)])
    stop = threading.Event()
    stop.set()  # one run, then stop

    with caplog.at_level(logging.INFO, logger="tianmen.supervisor"):
        prune_tracks_daily(suite, stop)

    assert "telemetry: pruned 2 track points of 1 machines in 1 batches" in caplog.messages
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(track_points)) == 1
