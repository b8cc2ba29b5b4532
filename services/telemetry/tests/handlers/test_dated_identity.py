"""An alert carries the jurisdiction the registry had said by its report's time and the log
had recorded before the report: a `MachineDetailsChanged` applied before or after the report
gives the same alert (live and a replay may apply them in either order; decision 82)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tianmen_events import DomainEvent
from tianmen_events.registry import MachineDetailsChanged
from tianmen_runtime.projection import apply_batch
from tianmen_runtime.testing import Record, record_of
from tianmen_telemetry import bootstrap
from tianmen_telemetry.adapters.orm import alerts
from tianmen_telemetry.config import Settings

from ..helpers import ENTERPRISE, MACHINE, at, bound, meta_for, registered, reported

NIGHT = at("2026-05-11T23:30:00")  # working, no permit: a night-work alert
STAMP = 1_778_500_000_000  # ms: the log's times
REPORTED = STAMP + 2000
BEFORE, AFTER = "429006101", "429006102"


def _record(event: DomainEvent, name: str, when: datetime, stamp: int, offset: int) -> Record:
    meta = meta_for(event, name, when)
    return record_of(event, meta, offset=offset, timestamp=stamp)


def _moved(dated: timedelta, recorded: int) -> Record:
    """The machine's jurisdiction changed at NIGHT + `dated`, recorded by the log at `recorded`."""
    change = MachineDetailsChanged(
        machine_id=MACHINE,
        enterprise_id=ENTERPRISE,
        application_id="app-1",
        jurisdiction_code=AFTER,
    )
    return _record(change, "changed", NIGHT + dated, recorded, 2)


def _run(change_first: bool, change: Record, directory: Path) -> tuple[str, str | None]:
    directory.mkdir()
    service = bootstrap.build(Settings(database_url=f"sqlite:///{directory / 't.db'}"))
    assert service.subscription is not None
    given = [
        _record(registered(jurisdiction=BEFORE), "m-1", NIGHT - timedelta(days=9), STAMP, 0),
        _record(bound(), "b-1", NIGHT - timedelta(days=9), STAMP, 1),
    ]
    report = record_of(reported(NIGHT), meta_for(reported(NIGHT), "r-1", NIGHT), timestamp=REPORTED)
    pair = [change, report] if change_first else [report, change]
    for record in [*given, *pair]:
        assert apply_batch(service.engine, service.subscription, [record]) == ["applied"]
    with service.engine.connect() as conn:
        [jurisdiction] = conn.execute(select(alerts.c.jurisdiction)).scalars().all()
    return service.digest(), jurisdiction


@pytest.mark.parametrize(
    "dated,recorded,carried",
    [
        (timedelta(hours=-1), STAMP + 3000, BEFORE),  # in force, but recorded after the report
        (timedelta(hours=-1), STAMP + 1000, AFTER),  # in force and recorded before
        (timedelta(hours=1), STAMP + 1000, BEFORE),  # recorded before, in force only later
    ],
)
def test_an_alert_carries_the_jurisdiction_known_before_its_report_in_either_order(
    dated: timedelta, recorded: int, carried: str, tmp_path: Path
) -> None:
    """A change recorded after the report may be applied before or after it; one recorded
    before it is applied before it (the consumer's hold, live and in a replay)."""
    change = _moved(dated, recorded)
    orders = (True, False) if recorded > REPORTED else (True,)
    results = {_run(first, change, tmp_path / str(first)) for first in orders}
    assert len(results) == 1, "the order they were applied in changed the alert"
    [(_, jurisdiction)] = results
    assert jurisdiction == carried
