"""A terminal moved to another machine mid-night, through a real broker (decision 99): the first
machine's night-work alert clears once, at the move, the registry's bind as its evidence, once a
report of its partition recorded after the move is applied; the second machine raises its own.
A replay of the log (which applies the registry's word ahead of the reports recorded before it)
derives the same store (digest), on SQLite and on PostgreSQL (the session's backend).

Telemetry's subscription and consumer loop on topics of this test's own, configured as
telemetry's (`telemetry_log.published_and_applied`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select
from tianmen_events import DomainEvent, derive_id
from tianmen_events.registry import MachineRegistered, TerminalBound
from tianmen_events.telemetry import AlertCleared, TerminalReported
from tianmen_runtime.db import events
from tianmen_runtime.replay import replay
from tianmen_telemetry import bootstrap
from tianmen_telemetry.adapters.orm import alerts, open_alerts
from tianmen_telemetry.config import Settings

from .telemetry_log import machine_registered, published_and_applied

FIRST, SECOND, ENTERPRISE = "h79-machine-1", "h79-machine-2", "h79-enterprise"
TERMINAL, SECOND_TERMINAL = "h79-terminal-1", "h79-terminal-2"
CST = timezone(timedelta(hours=8))
REGISTERED = datetime(2026, 5, 1, 9, 0, tzinfo=CST)
MOVED = datetime(2026, 5, 11, 23, 45, tzinfo=CST)
NIGHT = datetime(2026, 5, 11, 23, 30, tzinfo=CST)
AFTER = [datetime(2026, 5, 12, 0, 30, tzinfo=CST), datetime(2026, 5, 12, 0, 40, tzinfo=CST)]


def _registered(machine_id: str) -> MachineRegistered:
    return machine_registered(machine_id, ENTERPRISE)


def _report(machine: str, at: datetime) -> TerminalReported:
    return TerminalReported(
        report_id=derive_id("report", TERMINAL, at.astimezone(UTC).isoformat()),
        terminal_id=TERMINAL,
        machine_id=machine,
        enterprise_id=ENTERPRISE,
        reported_at=at,
        latitude=30.6531,
        longitude=113.1661,
        working=True,
    )


LOG: list[tuple[DomainEvent, datetime]] = [
    (_registered(FIRST), REGISTERED),
    (_registered(SECOND), REGISTERED),
    (TerminalBound(machine_id=FIRST, enterprise_id=ENTERPRISE, terminal_id=TERMINAL), REGISTERED),
    (_report(FIRST, NIGHT), NIGHT),
    (TerminalBound(machine_id=SECOND, enterprise_id=ENTERPRISE, terminal_id=TERMINAL), MOVED),
    (_report(SECOND, AFTER[0]), AFTER[0]),
    (_report(SECOND, AFTER[1]), AFTER[1]),
]


def _url(backend: str, request: pytest.FixtureRequest, folder: Path) -> str:
    if backend == "postgresql":
        create: Callable[[str], str] = request.getfixturevalue("new_postgres_database")
        return create("h79_telemetry")
    folder.mkdir()
    return f"sqlite:///{folder / 'telemetry.db'}"


def test_a_terminal_moved_mid_night_clears_the_first_machines_alert_once_live_and_in_replay(
    backend: str, bootstrap_servers: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    live = bootstrap.build(Settings(database_url=_url(backend, request, tmp_path / "live")))
    subscription, ids = published_and_applied(bootstrap_servers, live, LOG, "h79")
    moved_by = ids[4]

    with live.engine.connect() as conn:
        rows = conn.execute(
            select(alerts.c.machine_id, alerts.c.cleared_at)
            .where(alerts.c.rule == "night_work")
            .order_by(alerts.c.observed_at)
        ).all()
        still_open = conn.execute(select(open_alerts.c.machine_id)).scalars().all()
        payloads = (
            conn.execute(select(events.c.payload).where(events.c.type == AlertCleared.type))
            .scalars()
            .all()
        )
    assert [tuple(r) for r in rows] == [(FIRST, MOVED.astimezone(UTC)), (SECOND, None)]
    assert still_open == [SECOND]
    cleared = [AlertCleared.model_validate(json.loads(p)) for p in payloads]
    assert len(cleared) == 1, "cleared once"
    assert cleared[0].machine_id == FIRST
    assert cleared[0].evidence == ()
    assert cleared[0].binding is not None
    assert cleared[0].binding.event_id == moved_by
    assert cleared[0].binding.to_machine_id == SECOND
    assert cleared[0].cleared_at == MOVED

    url = _url(backend, request, tmp_path / "replay")
    replayed = bootstrap.build(Settings(database_url=url))
    replay(replayed.engine, subscription, bootstrap_servers)
    assert replayed.digest() == live.digest()
