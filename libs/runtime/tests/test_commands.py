"""The command runner: a lost race is decided again; one lost on every attempt is a 409."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, func, select, update
from tianmen_events.errors import Conflict
from tianmen_events.safety import PointsDeducted
from tianmen_runtime.commands import ATTEMPTS, LostRace, run_command
from tianmen_runtime.db import events, make_engine
from tianmen_runtime.http import create_app
from tianmen_runtime.unit_of_work import UnitOfWork, unit_of_work

from .conftest import StoreUrl

SOURCE = "/tianmen/test"
AT = datetime(2026, 1, 2, tzinfo=UTC)


def _deducted(points: int) -> PointsDeducted:
    return PointsDeducted(
        enterprise_id="ent-1",
        violation_id=f"v{points}",
        points=points,
        balance_after=100 - points,
        cycle_year=2026,
        rule_version="r1",
    )


class StaleReader:
    """Decides on a version a rival already moved past, for its first `stale` attempts (as if
    the rival committed between our read and our append); then on the current version."""

    def __init__(self, stale: int) -> None:
        self.stale, self.attempts = stale, 0

    def __call__(self, points: int, uow: UnitOfWork, correlation: str) -> int:
        self.attempts += 1
        current = uow.events.version("ent-1")
        read = current - 1 if self.attempts <= self.stale else current
        uow.events.append(
            "ent-1", [_deducted(points)], expected_version=read, time=AT, correlation_id=correlation
        )
        return read + 1


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    with unit_of_work(engine, SOURCE) as uow:  # the rival's event, already committed
        uow.events.append("ent-1", [_deducted(1)], expected_version=0, time=AT, correlation_id="r")
    return engine


def _stored(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(events)).scalar_one())


def test_a_lost_race_is_decided_again_and_applied_once(engine: Engine) -> None:
    handler = StaleReader(stale=ATTEMPTS - 1)
    assert run_command(engine, SOURCE, handler, 5, "c") == 2
    assert handler.attempts == ATTEMPTS
    assert _stored(engine) == 2


def test_a_race_lost_on_every_attempt_is_a_conflict_that_writes_nothing(engine: Engine) -> None:
    handler = StaleReader(stale=ATTEMPTS)
    with pytest.raises(LostRace) as raised:
        run_command(engine, SOURCE, handler, 5, "c")
    assert isinstance(raised.value, Conflict)
    assert handler.attempts == ATTEMPTS
    assert _stored(engine) == 1


def test_the_edge_answers_a_lost_race_with_409_problem_json(engine: Engine) -> None:
    app = create_app("test", ready=lambda: True)

    @app.post("/deductions")
    def deduct() -> int:
        return run_command(engine, SOURCE, StaleReader(stale=ATTEMPTS), 5, "c")

    response = TestClient(app, raise_server_exceptions=False).post("/deductions")
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert "lost to concurrent writers" in response.json()["detail"]


def _count_events(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(events)).scalar_one())


def _commit_rival(engine: Engine, points: int) -> None:
    """Another process's command commits meanwhile (its own connection and transaction)."""
    with unit_of_work(engine, SOURCE) as uow:
        uow.events.append(
            "ent-1", [_deducted(points)], expected_version=0, time=AT, correlation_id="r"
        )


# On SQLite a command's transaction takes the write lock at BEGIN (IMMEDIATE): no rival commits
# inside it, so these interleavings exist on PostgreSQL only.
postgresql_only = pytest.mark.integration


@postgresql_only
def test_a_command_decides_from_one_snapshot_whatever_commits_between_its_reads(
    new_postgres_database: StoreUrl,
) -> None:
    """Given a command that reads the store twice, when another writer commits between the
    reads, then both reads see the store as it was at the first (read committed, the second
    saw the commit: a decision from two different stores)."""
    engine = make_engine(new_postgres_database("snapshot"))
    seen: list[int] = []

    def reads_twice(_cmd: None, uow: UnitOfWork) -> None:
        seen.append(_count_events(uow.conn))
        if len(seen) == 1:
            _commit_rival(engine, 7)
        seen.append(_count_events(uow.conn))

    run_command(engine, SOURCE, reads_twice, None)

    assert seen == [0, 0]
    with engine.connect() as conn:
        assert _count_events(conn) == 1  # the rival's commit is there, after the command


@postgresql_only
def test_a_row_changed_since_the_snapshot_is_decided_again(new_postgres_database: StoreUrl) -> None:
    """Given a command that reads a row and then writes it, when another writer changes the
    row between the two, then the write fails as a serialization failure and the command is
    decided again on the new row: neither write is lost."""
    engine = make_engine(new_postgres_database("rows"))
    with unit_of_work(engine, SOURCE) as uow:
        uow.events.append("ent-1", [_deducted(1)], expected_version=0, time=AT, correlation_id="c")
    attempts: list[int] = []

    def adds_one(_cmd: None, uow: UnitOfWork) -> int:
        attempts.append(1)
        points = uow.conn.execute(select(events.c.sequence).where(events.c.aggregate_id == "ent-1"))
        before = int(points.scalar_one())
        if len(attempts) == 1:
            with engine.connect() as rival, rival.begin():
                rival.execute(update(events).values(sequence=events.c.sequence + 10))
        uow.conn.execute(update(events).values(sequence=before + 1))
        return before

    before = run_command(engine, SOURCE, adds_one, None)

    with engine.connect() as conn:
        stored = conn.execute(select(events.c.sequence)).scalar_one()
    assert (before, stored) == (11, 12)
    assert len(attempts) == 2
