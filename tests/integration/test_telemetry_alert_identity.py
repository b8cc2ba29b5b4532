"""A night of work across a sale, through a real broker (decision 95): the seller's night-work
alert is cleared by the buyer's first report of the night, the buyer's is raised there, each on
its own enterprise's stream; a replay of the log derives the same store (digest).

Telemetry's subscription and consumer loop on topics of this test's own, configured as
telemetry's (`telemetry_log.published_and_applied`)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select
from tianmen_events import DomainEvent
from tianmen_events.registry import (
    MachineKind,
    MachineRegistered,
    MachineTransferred,
    TerminalBound,
)
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime.db import events
from tianmen_runtime.replay import replay
from tianmen_telemetry import bootstrap
from tianmen_telemetry.adapters.orm import alerts
from tianmen_telemetry.config import Settings

from .telemetry_log import published_and_applied

MACHINE, TERMINAL = "h74-machine", "h74-terminal"
SELLER, BUYER = "h74-seller", "h74-buyer"
CST = timezone(timedelta(hours=8))
REGISTERED = datetime(2026, 5, 1, 9, 0, tzinfo=CST)
SOLD = datetime(2026, 5, 11, 23, 45, tzinfo=CST)


def _report(at: datetime) -> TerminalReported:
    return TerminalReported(
        report_id=f"h74-report-{at.isoformat()}",
        terminal_id=TERMINAL,
        machine_id=MACHINE,
        enterprise_id=SELLER,  # ingest stamps the owner the terminal was bound under
        reported_at=at,
        latitude=30.6531,
        longitude=113.1661,
        working=True,
    )


NIGHT = [datetime(2026, 5, 11, 23, 30, tzinfo=CST), datetime(2026, 5, 12, 0, 30, tzinfo=CST)]
MORNING = datetime(2026, 5, 12, 6, 30, tzinfo=CST)
LOG: list[tuple[DomainEvent, datetime]] = [
    (
        MachineRegistered(
            machine_id=MACHINE,
            enterprise_id=SELLER,
            kind=MachineKind.EXCAVATOR,
            brand="SANY",
            model="SY215C",
            serial_number="SN-h74",
            jurisdiction_code="429006101",
            high_risk=False,
        ),
        REGISTERED,
    ),
    (TerminalBound(machine_id=MACHINE, enterprise_id=SELLER, terminal_id=TERMINAL), REGISTERED),
    (_report(NIGHT[0]), NIGHT[0]),
    (
        MachineTransferred(
            machine_id=MACHINE, enterprise_id=BUYER, from_enterprise_id=SELLER, application_id="a"
        ),
        SOLD,
    ),
    (_report(NIGHT[1]), NIGHT[1]),
    (_report(MORNING), MORNING),
]


def test_a_night_across_a_sale_is_two_alerts_one_open_at_a_time_and_replay_equals_live(
    bootstrap_servers: str, tmp_path: Path
) -> None:
    (tmp_path / "live").mkdir()
    (tmp_path / "replay").mkdir()
    url = f"sqlite:///{tmp_path / 'live' / 'telemetry.db'}"
    live = bootstrap.build(Settings(database_url=url))
    subscription, _ = published_and_applied(bootstrap_servers, live, LOG, "h74")

    with live.engine.connect() as conn:
        rows = conn.execute(
            select(alerts.c.enterprise_id, alerts.c.observed_at, alerts.c.cleared_at)
            .where(alerts.c.rule == "night_work")
            .order_by(alerts.c.observed_at)
        ).all()
        streams = conn.execute(
            select(events.c.aggregate_id, events.c.type).order_by(events.c.aggregate_id)
        ).all()
    assert [tuple(r) for r in rows] == [
        (SELLER, NIGHT[0], NIGHT[1]),
        (BUYER, NIGHT[1], MORNING),
    ]
    assert sorted((str(s[0]), str(s[1]).rsplit(".", 1)[-1]) for s in streams) == [
        (BUYER, "alert_cleared"),
        (BUYER, "alert_raised"),
        (SELLER, "alert_cleared"),
        (SELLER, "alert_raised"),
    ]

    replayed = bootstrap.build(
        Settings(database_url=f"sqlite:///{tmp_path / 'replay' / 'telemetry.db'}")
    )
    replay(replayed.engine, subscription, bootstrap_servers)
    assert replayed.digest() == live.digest()
