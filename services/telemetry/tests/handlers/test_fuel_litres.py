"""A machine's daily fuel used in litres (`machine_day_usage.fuel_used_ml`, decision 120): each
report's drop is levelled with the tank in force at the report's time among the tanks the log
recorded before the report, so a `FuelTankAmended` applied before or after the report (live and
a replay may apply them in either order) gives the same litres and the same digest."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tianmen_events import DomainEvent
from tianmen_events.registry import FuelTankAmended
from tianmen_runtime.projection import apply_batch
from tianmen_runtime.testing import Record, record_of
from tianmen_telemetry import bootstrap
from tianmen_telemetry.adapters.orm import machine_day_usage
from tianmen_telemetry.config import Settings

from ..helpers import ENTERPRISE, MACHINE, at, bound, meta_for, registered, reported

MORNING = at("2026-05-11T08:00:00")
STAMP = 1_778_500_000_000  # ms: the log's times
DROPPED = STAMP + 2000  # when the log recorded the report whose level fell


def _record(event: DomainEvent, name: str, when: datetime, stamp: int, offset: int) -> Record:
    return record_of(event, meta_for(event, name, when), offset=offset, timestamp=stamp)


def _amended(dated: timedelta, recorded: int) -> Record:
    """The tank amended from 400 L to 200 L at MORNING + `dated`, recorded at `recorded`."""
    amendment = FuelTankAmended(
        machine_id=MACHINE, enterprise_id=ENTERPRISE, fuel_tank_litres=200.0, previous_litres=400.0
    )
    return _record(amendment, "amended", MORNING + dated, recorded, 2)


def _run(amendment_first: bool, amendment: Record, directory: Path) -> tuple[str, int]:
    directory.mkdir()
    service = bootstrap.build(Settings(database_url=f"sqlite:///{directory / 't.db'}"))
    assert service.subscription is not None
    machine = registered().model_copy(update={"fuel_tank_litres": 400.0})
    given = [
        _record(machine, "m-1", MORNING - timedelta(days=9), STAMP, 0),
        _record(bound(), "b-1", MORNING - timedelta(days=9), STAMP, 1),
        _record(reported(MORNING, fuel_level_pct=70.0), "r-1", MORNING, STAMP + 1000, 3),
    ]
    later = MORNING + timedelta(minutes=10)
    drop = _record(reported(later, fuel_level_pct=60.0), "r-2", later, DROPPED, 4)
    pair = [amendment, drop] if amendment_first else [drop, amendment]
    for record in [*given, *pair]:
        assert apply_batch(service.engine, service.subscription, [record]) == ["applied"]
    with service.engine.connect() as conn:
        millilitres = conn.execute(select(func.sum(machine_day_usage.c.fuel_used_ml))).scalar()
    return service.digest(), int(millilitres or 0)


@pytest.mark.parametrize(
    "dated,recorded,millilitres",
    [
        (timedelta(minutes=5), DROPPED + 1000, 40_000),  # in force, but recorded after the report
        (timedelta(minutes=5), DROPPED - 500, 20_000),  # in force and recorded before
        (timedelta(minutes=20), DROPPED - 500, 40_000),  # recorded before, in force only later
    ],
)
def test_a_drop_is_levelled_with_the_tank_known_before_its_report_in_either_order(
    dated: timedelta, recorded: int, millilitres: int, tmp_path: Path
) -> None:
    """10 level points dropped: 40 L of the registered 400 L tank, 20 L of the amended 200 L.
    An amendment recorded after the report may be applied before or after it; one recorded
    before it is applied before it (the consumer's hold, live and in a replay)."""
    amendment = _amended(dated, recorded)
    orders = (True, False) if recorded > DROPPED else (True,)
    results = {_run(first, amendment, tmp_path / str(first)) for first in orders}
    assert len(results) == 1, "the order they were applied in changed the litres"
    [(_, kept)] = results
    assert kept == millilitres
