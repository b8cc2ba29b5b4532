"""Track retention: positions older than the cut are deleted machine by machine, at most a
batch a transaction, the rest kept; a second run deletes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select
from tianmen_runtime.db import make_engine
from tianmen_telemetry.adapters.orm import metadata, track_points
from tianmen_telemetry.adapters.tracks import Pruned, keep_points, prune, track_page
from tianmen_telemetry.entrypoints.retention_cli import prune_older_than

from ..helpers import reported

CUT = datetime(2026, 5, 1, tzinfo=UTC)
# machine -> positions before the cut, positions from the cut on (one an hour either side)
STORED = {"machine-a": (7, 2), "machine-b": (0, 3), "machine-c": (6, 0), "machine-d": (1, 1)}


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    made = make_engine(f"sqlite:///{tmp_path / 'telemetry.db'}", metadata)
    with made.begin() as conn:
        for machine, (old, new) in STORED.items():
            hours = [-h for h in range(1, old + 1)] + list(range(new))  # 0: exactly at the cut
            keep_points(
                conn,
                [reported(CUT + timedelta(hours=h), machine_id=machine) for h in hours],
            )
    return made


def _deletes(engine: Engine) -> list[int]:
    """The rows each DELETE statement removed, as they run."""
    counts: list[int] = []

    def seen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("DELETE"):
            counts.append(cursor.rowcount)

    event.listen(engine, "after_cursor_execute", seen)
    return counts


def _statements(engine: Engine) -> list[str]:
    """Every statement sent, BEGIN included (the SQLite engine begins by a statement)."""
    sent: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        sent.append(
            statement.split()[0].upper() + (" IMMEDIATE" if "IMMEDIATE" in statement else "")
        )

    event.listen(engine, "before_cursor_execute", seen)
    return sent


def _kept(engine: Engine) -> dict[str, int]:
    query = select(track_points.c.machine_id, func.count()).group_by(track_points.c.machine_id)
    with engine.connect() as conn:
        return {machine: count for machine, count in conn.execute(query)}


def test_positions_before_the_cut_go_in_batches_of_at_most_the_batch(engine: Engine) -> None:
    deletes = _deletes(engine)

    pruned = prune(engine, CUT, batch=3)

    # a: 3, 3, 1; c: 3, 3, 0 (a full batch is followed by one that finds the rest); d: 1
    assert deletes == [3, 3, 1, 3, 3, 0, 1]
    assert pruned == Pruned(rows=14, machines=3, batches=7)
    assert _kept(engine) == {"machine-a": 2, "machine-b": 3, "machine-d": 1}  # at the cut: kept


def test_on_sqlite_a_batch_takes_the_writer_lock_before_it_reads(engine: Engine) -> None:
    """A deferred transaction that reads, then deletes, fails at once ("database is locked")
    when the worker committed meanwhile; BEGIN IMMEDIATE waits its turn instead."""
    sent = _statements(engine)

    prune(engine, CUT, batch=3)

    batches = [i for i, statement in enumerate(sent) if statement == "DELETE"]
    assert len(batches) == 7
    for at in batches:
        began = max(i for i in range(at) if sent[i].startswith("BEGIN"))
        assert sent[began] == "BEGIN IMMEDIATE"


def test_a_second_run_deletes_nothing(engine: Engine) -> None:
    prune(engine, CUT, batch=3)
    deletes = _deletes(engine)

    assert prune(engine, CUT, batch=3) == Pruned(rows=0, machines=0, batches=0)
    assert deletes == []  # machines with nothing to delete take no write transaction


def test_an_empty_track_store_prunes_nothing(tmp_path: Path) -> None:
    empty = make_engine(f"sqlite:///{tmp_path / 'empty.db'}", metadata)
    assert prune(empty, CUT) == Pruned(rows=0, machines=0, batches=0)


def test_a_batch_below_one_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        prune(engine, CUT, batch=0)


def test_the_command_cuts_keep_days_before_now_and_the_rest_is_still_served(
    engine: Engine,
) -> None:
    now = CUT + timedelta(days=90)

    pruned = prune_older_than(engine, keep_days=90, batch=2, now=now)

    assert pruned.rows == 14
    items, cursor = track_page(engine, "machine-a", CUT - timedelta(days=1), now, None, 100)
    assert [item["reported_at"] for item in items] == [CUT, CUT + timedelta(hours=1)]
    assert cursor is None
