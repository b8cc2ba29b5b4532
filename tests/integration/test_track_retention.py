"""Track retention as deployed (issue 8): `python -m tianmen_telemetry prune-tracks` run as its
own process on a store Alembic built, on SQLite and on PostgreSQL (the session's backend).
Positions older than the retention are gone, in batches; newer ones, and a whole day's track
through the API, are kept; a second run deletes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from tianmen_events import derive_id
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime import schema
from tianmen_runtime.db import make_engine
from tianmen_telemetry import bootstrap
from tianmen_telemetry.adapters.orm import metadata, track_points
from tianmen_telemetry.adapters.tracks import keep_points
from tianmen_telemetry.config import Settings
from tianmen_telemetry.entrypoints.api import build_api

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC).replace(microsecond=0)  # retention is the wall clock's, not replayed
DAY = NOW - timedelta(days=2)  # a day's track, one report every 30 s: [DAY, DAY + 1 day)
# Per machine, days back of positions past the 90-day retention, and of one just inside it.
OLD_DAYS = [91 + n for n in range(12)]
INSIDE = 89


def _report(machine: str, at: datetime) -> TerminalReported:
    return TerminalReported(
        report_id=derive_id("report", f"{machine}-terminal", at.isoformat()),
        terminal_id=f"{machine}-terminal",
        machine_id=machine,
        enterprise_id="h88-enterprise",
        reported_at=at,
        latitude=30.6531,
        longitude=113.1661,
        working=True,
    )


@pytest.fixture
def url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    if backend == "postgresql":
        create: Callable[[str], str] = request.getfixturevalue("new_postgres_database")
        made = create("h88_telemetry")
    else:
        made = f"sqlite:///{tmp_path / 'telemetry.db'}"
    engine = make_engine(made, create_tables=False)
    schema.upgrade(engine, "telemetry", metadata)  # the schema as the migration Job leaves it
    with engine.begin() as conn:
        day = [_report("h88-a", DAY + timedelta(seconds=30 * n)) for n in range(2_880)]
        keep_points(conn, day)
        for machine in ("h88-a", "h88-b", "h88-c"):
            back = [*OLD_DAYS, INSIDE] if machine != "h88-c" else OLD_DAYS
            keep_points(conn, [_report(machine, NOW - timedelta(days=d)) for d in back])
    engine.dispose()
    yield made


def _prune(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "tianmen_telemetry", "prune-tracks", "--keep-days", "90", *args]
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, check=True)


def _logged(stderr: str) -> dict[str, object]:
    [line] = [json.loads(ln) for ln in stderr.splitlines() if "track points pruned" in ln]
    found: dict[str, object] = line
    return found


def _per_machine(engine: Engine, before: datetime) -> dict[str, int]:
    query = (
        select(track_points.c.machine_id, func.count())
        .where(track_points.c.reported_at < before)
        .group_by(track_points.c.machine_id)
    )
    with engine.connect() as conn:
        return {machine: count for machine, count in conn.execute(query)}


class _NoSink:
    def publish(self, reports: Sequence[TerminalReported]) -> None:
        raise AssertionError("nothing is ingested here")


def _track(client: TestClient, since: datetime, until: datetime) -> int:
    """Every position of h88-a in [since, until), all pages: how many."""
    items, cursor = 0, None
    while True:
        params = {"from": since.isoformat(), "to": until.isoformat(), "limit": "500"}
        if cursor is not None:
            params["cursor"] = cursor
        answer = client.get("/machines/h88-a/track", params=params)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        items += len(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return items


def test_prune_tracks_deletes_past_the_retention_in_batches_and_keeps_the_rest(url: str) -> None:
    cut = NOW - timedelta(days=90)

    done = _prune(url, "--batch", "5")

    logged = _logged(done.stderr)
    if url.startswith("postgresql"):
        # the 12 local days of the old positions, each a partition dropped whole
        assert done.stdout.strip() == (
            "pruned 36 track points of 3 machines in 0 batches and 12 day partitions"
        )
        assert (logged["rows"], logged["machines"], logged["days"]) == (36, 3, 12)
    else:
        # 12 old positions of each machine, 5 a transaction: 5, 5, 2 for each of the three
        assert done.stdout.strip() == "pruned 36 track points of 3 machines in 9 batches"
        assert (logged["rows"], logged["machines"], logged["batches"]) == (36, 3, 9)
    engine = make_engine(url, create_tables=False)
    try:
        assert _per_machine(engine, cut) == {}
        assert _per_machine(engine, NOW) == {"h88-a": 2_880 + 1, "h88-b": 1}
        again = _prune(url)
        assert again.stdout.strip() == "pruned 0 track points of 0 machines in 0 batches"

        service = bootstrap.build(Settings(database_url=url))
        with TestClient(build_api(service, _NoSink(), clock=lambda: NOW)) as client:
            assert _track(client, DAY, DAY + timedelta(days=1)) == 2_880
            # a range past the retention answers like a range nothing reported in: empty
            assert _track(client, NOW - timedelta(days=120), cut) == 0
    finally:
        engine.dispose()
