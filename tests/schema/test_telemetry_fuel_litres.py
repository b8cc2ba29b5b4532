"""Telemetry's `machine_day_usage` keeps the fuel used in millilitres from `telemetry_0016`
(decision 120): the days kept before are filled with the tank in force at the start of their
local day, a day with no tank keeps 0 ml; `machine_tanks` gets its `recorded_ms`, none for the
tanks kept before."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import column, insert, select, table
from tianmen_runtime import schema
from tianmen_runtime.db import make_engine
from tianmen_telemetry.adapters.orm import UtcDateTime, machine_tanks
from tianmen_telemetry.bootstrap import build

_DAYS = table(
    "machine_day_usage",
    column("machine_id"),
    column("day"),
    column("operating_us"),
    column("idle_us"),
    column("fuel_used_mpct"),
    column("windows"),
    column("longest_window_us"),
)
_TANKS = table(
    "machine_tanks",
    column("machine_id"),
    column("event_id"),
    column("valid_from", UtcDateTime()),
    column("litres"),
)
AMENDED = datetime(2026, 5, 5, 16, 0, tzinfo=UTC)  # 2026-05-06 00:00 in Tianmen


def _day(machine: str, day: date, mpct: int) -> dict[str, object]:
    return {
        "machine_id": machine,
        "day": day,
        "operating_us": 0,
        "idle_us": 0,
        "fuel_used_mpct": mpct,
        "windows": 0,
        "longest_window_us": 0,
    }


def test_the_days_kept_before_get_their_litres_from_the_tank_then_in_force(
    empty_store: str,
) -> None:
    service = build()
    engine = make_engine(empty_store, create_tables=False)
    with schema.alembic_config(engine, "telemetry", service.metadata) as config:
        command.upgrade(config, "telemetry@telemetry_0015")
    with engine.begin() as conn:
        conn.execute(
            insert(_TANKS),
            [
                {
                    "machine_id": "m1",
                    "event_id": "registration",
                    "valid_from": None,
                    "litres": 400.0,
                },
                {"machine_id": "m1", "event_id": "a1", "valid_from": AMENDED, "litres": 200.0},
            ],
        )
        conn.execute(
            insert(_DAYS),
            [
                _day("m1", date(2026, 5, 5), 12_000),  # 12 % of 400 L
                _day("m1", date(2026, 5, 6), 2_500),  # 2.5 % of 200 L: amended at its start
                _day("m2", date(2026, 5, 5), 7_000),  # no tank: no litres
            ],
        )
    schema.upgrade(engine, "telemetry", service.metadata)
    days = service.metadata.tables["machine_day_usage"]
    with engine.connect() as conn:
        kept = conn.execute(
            select(days.c.machine_id, days.c.day, days.c.fuel_used_ml).order_by(
                days.c.machine_id, days.c.day
            )
        ).all()
        stamps = conn.execute(select(machine_tanks.c.recorded_ms)).scalars().all()
    assert [tuple(r) for r in kept] == [
        ("m1", date(2026, 5, 5), 48_000),
        ("m1", date(2026, 5, 6), 5_000),
        ("m2", date(2026, 5, 5), 0),
    ]
    assert stamps == [None, None]
    with schema.alembic_config(engine, "telemetry", service.metadata) as config:
        command.downgrade(config, "telemetry@telemetry_0015")
    with engine.connect() as conn:
        assert len(conn.execute(select(_DAYS.c.machine_id)).all()) == 3
