"""Telemetry's projection tables, on its own metadata (the runtime adds events/outbox)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)

metadata = MetaData()


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and gives them back aware (SQLite keeps no offset)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)

    def bind_processor(self, dialect: Dialect) -> Callable[[datetime | None], Any] | None:
        """On SQLite, straight to the text SQLAlchemy's `DateTime` stores ("2026-05-11
        10:00:00.000123"): its two layers (this type's, the dialect's `%` format) cost three
        times as much, three times a report. Elsewhere as Core binds it."""
        if dialect.name == "sqlite":
            return _sqlite_text
        return super().bind_processor(dialect)

    def result_processor(
        self, dialect: Dialect, coltype: object
    ) -> Callable[[Any], datetime | None] | None:
        """On SQLite, that text back to the aware instant in one parse: the two layers (the
        dialect's parse, this type's `replace`) cost four times as much, on every instant of
        every live state and register row a transaction reads ahead. Elsewhere as Core does."""
        if dialect.name == "sqlite":
            return _sqlite_instant
        return super().result_processor(dialect, coltype)


@lru_cache(maxsize=4096)
def _sqlite_text(value: datetime | None) -> str | None:
    """Cached by instant: a report's is bound two or three times in a transaction (its track
    point, its live state's last report, a working run's start), and equal instants in any
    zone have the one UTC text. A naive datetime raises every time (nothing cached)."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(UTC).isoformat(" ", "microseconds")[:-6]  # less "+00:00"


def _sqlite_instant(text: str | None) -> datetime | None:
    return None if text is None else _from_iso(text + "+00:00")  # tzinfo: `UTC` itself


_from_iso = datetime.fromisoformat


machines = Table(
    "machines",
    metadata,
    Column("machine_id", String(64), primary_key=True),
    Column("enterprise_id", String(64), nullable=False),
    Column("terminal_id", String(64), unique=True),
    Column("jurisdiction", String(64)),
    Column("high_risk", Boolean, nullable=False, default=False),
    Column("brand", String(128)),
    Column("model", String(128)),
    Column("serial_number", String(128)),
    Column("engine_number", String(128)),  # as registered; NULL: none given
    Column("fuel_tank_litres", Float),  # as registered; NULL: none given (no JT/T 808 level)
)

# A terminal's history: from `valid_from` (NULL: since ever) it was on `machine_id` (NULL: none).
terminal_bindings = Table(
    "terminal_bindings",
    metadata,
    Column("terminal_id", String(64), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("valid_from", UtcDateTime),
    Column("machine_id", String(64)),
    Column("enterprise_id", String(64)),
)

# Every bind the registry said (`TerminalBound`), and every explicit unbind (`TerminalUnbound`,
# reason `unbound`: `enterprise_id` NULL, `machine_id` the machine it left), whatever order they
# came in: the periods above are derived from them by event time (`domain/bindings.history`), as
# is `machines.terminal_id`. `bound_at` NULL: before anything else (binds kept before 0008).
terminal_binds = Table(
    "terminal_binds",
    metadata,
    Column("terminal_id", String(64), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("machine_id", String(64), nullable=False, index=True),
    Column("enterprise_id", String(64)),
    Column("bound_at", UtcDateTime),
    Column("recorded_ms", BigInteger, nullable=True),  # the log's time (decision 99)
)

# A machine's identity as the registry said it over time (`MachineRegistered`, then each
# `MachineDetailsChanged` of its jurisdiction): an alert carries the jurisdiction in force at
# its report and recorded before it. `valid_from` NULL: since ever (the first identity).
machine_identities = Table(
    "machine_identities",
    metadata,
    Column("machine_id", String(64), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("valid_from", UtcDateTime),
    Column("jurisdiction", String(64)),
    Column("engine_number", String(128)),
    Column("recorded_ms", BigInteger, nullable=True),  # the log's time
)

# A machine's fuel tanks over time (decision 116): the registered one (`event_id`
# "registration", from NULL: ever), then one row per `FuelTankAmended`, from its event time.
# The JT/T 808 server levels a report's litres with the one in force at the report's time.
machine_tanks = Table(
    "machine_tanks",
    metadata,
    Column("machine_id", String(64), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("valid_from", UtcDateTime),
    Column("litres", Float, nullable=False),
    # when the log recorded the tank (ms; None: before stamps were kept, counts as before), so a
    # report's litres are levelled with the tanks recorded before it, live and in a replay
    Column("recorded_ms", BigInteger),
)

# Who owned a machine from when (decision 91): one row per `MachineTransferred`, dated by its
# event time; before the first one the machine was its seller's.
machine_transfers = Table(
    "machine_transfers",
    metadata,
    Column("machine_id", String(64), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("transferred_at", UtcDateTime, nullable=False),
    Column("from_enterprise_id", String(64), nullable=False),
    Column("enterprise_id", String(64), nullable=False),
    Column("recorded_ms", BigInteger, nullable=True),  # the log's time
)

live_states = Table(
    "live_states",
    metadata,
    Column("machine_id", String(64), primary_key=True),
    Column("enterprise_id", String(64), nullable=False),
    Column("terminal_id", String(64), nullable=False),
    Column("report_id", String(36), nullable=False),
    Column("last_report_at", UtcDateTime, nullable=False),
    Column("latitude", Float, nullable=False),
    Column("longitude", Float, nullable=False),
    Column("working", Boolean, nullable=False),
    Column("engine_hours", Float),
    Column("fuel_level_pct", Float),
    Column("working_since", UtcDateTime),
    # The machine's own fuel-use baseline (domain/fuel_baseline.py).
    Column("fuel_leg_hours", Float),
    Column("fuel_leg_pct", Float),
    Column("fuel_rate_baseline", Float),
    Column("fuel_rate_legs", Integer, nullable=False, default=0, server_default="0"),
    # The latest odometer reported (km, JT/T 808 item 0x01) and when: the AEMP `Distance`.
    Column("odometer_km", Float),
    Column("odometer_at", UtcDateTime),
)

alerts = Table(
    "alerts",
    metadata,
    Column("alert_id", String(36), primary_key=True),
    Column("enterprise_id", String(64), nullable=False, index=True),
    Column("machine_id", String(64), nullable=False, index=True),
    Column("terminal_id", String(64), nullable=False),
    Column("rule", String(64), nullable=False),
    Column("rule_version", String(64), nullable=False),
    Column("observed_at", UtcDateTime, nullable=False, index=True),
    Column("latitude", Float, nullable=False),
    Column("longitude", Float, nullable=False),
    Column("detail", Text, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("jurisdiction", String(64)),
    Column("cleared_at", UtcDateTime),
)

# The one open alert per machine and rule, until an `AlertCleared` closes it.
open_alerts = Table(
    "open_alerts",
    metadata,
    Column("machine_id", String(64), primary_key=True),
    Column("rule", String(64), primary_key=True),
    Column("alert_id", String(36), nullable=False, unique=True),
    Column("enterprise_id", String(64), nullable=False),
    Column("jurisdiction", String(64)),
)


# A terminal taken off a machine (an explicit unbind, or bound to another machine) at its event
# time, the machine left with no terminal: its open alerts are cleared once every report of the
# machine's partition recorded before the end is applied (`done`), decision 99.
binding_ends = Table(
    "binding_ends",
    metadata,
    Column("terminal_id", String(64), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("machine_id", String(64), nullable=False, index=True),
    Column("ended_at", UtcDateTime, nullable=False),
    Column("to_machine_id", String(64)),  # None: unbound
    Column("recorded_ms", BigInteger, nullable=True),  # the log's time
    Column("done", Boolean, nullable=False, default=False),
)

# The `telemetry.report` partition a machine's reports are on, kept when an alert of it is held
# open: what its binding's end waits for (decision 99).
report_partitions = Table(
    "report_partitions",
    metadata,
    Column("machine_id", String(64), primary_key=True),
    Column("report_partition", Integer, nullable=False),
)

# Reports that are not positions (outside the city's area, 0,0): what the terminal said, and why.
findings = Table(
    "data_quality_findings",
    metadata,
    Column("report_id", String(36), primary_key=True),
    Column("machine_id", String(64), nullable=False, index=True),
    Column("enterprise_id", String(64), nullable=False),
    Column("terminal_id", String(64), nullable=False),
    Column("finding", String(64), nullable=False),
    Column("observed_at", UtcDateTime, nullable=False),
    Column("latitude", Float, nullable=False),
    Column("longitude", Float, nullable=False),
    Column("detail", Text, nullable=False),
)

# What the registry (and safety) said of a machine's standing, dated by its events' time, one
# row per event: a report's standing is folded from them in event-time order
# (`domain/standings.py`), whatever order they arrived in.
machine_standings = Table(
    "machine_standings",
    metadata,
    Column("machine_id", String(64), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("valid_from", UtcDateTime, nullable=False),
    Column("status", String(32), nullable=False),  # or `review_passed`
    Column("recorded_ms", BigInteger, nullable=True),  # the log's time
)

work_sites = Table(
    "work_sites",
    metadata,
    Column("site_id", String(64), primary_key=True),
    Column("enterprise_id", String(64), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("boundary", JSON, nullable=False),
    Column("registered_at", UtcDateTime, nullable=False),
    Column("recorded_ms", BigInteger, nullable=True),  # the log's time
)

night_permits = Table(
    "night_permits",
    metadata,
    Column("permit_id", String(64), primary_key=True),
    Column("site_id", String(64), nullable=False),
    Column("enterprise_id", String(64), nullable=False, index=True),
    Column("starts", String(5), nullable=False),
    Column("ends", String(5), nullable=False),
    Column("valid_from", UtcDateTime, nullable=False),
    Column("valid_until", UtcDateTime, nullable=False),
    Column("recorded_ms", BigInteger, nullable=True),  # the log's time
)

restricted_zones = Table(
    "restricted_zones",
    metadata,
    Column("zone_id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("boundary", JSON, nullable=False),
    Column("declared_at", UtcDateTime, nullable=False),
    Column("recorded_ms", BigInteger, nullable=True),  # the log's time
)

# Every position a machine reported, for its track (retention: `TRACK_RETENTION`, 90 days).
# On PostgreSQL partitioned by the report's local day (`adapters/tracks.py`, migration 0014).
track_points = Table(
    "track_points",
    metadata,
    Column("machine_id", String(64), primary_key=True),
    Column("reported_at", UtcDateTime, primary_key=True),
    Column("report_id", String(36), nullable=False),
    Column("latitude", Float, nullable=False),
    Column("longitude", Float, nullable=False),
    Column("working", Boolean, nullable=False),
    Column("engine_hours", Float),
    Column("fuel_level_pct", Float),
    postgresql_partition_by="RANGE (reported_at)",
)

# Each machine's usage per local day (Asia/Shanghai), folded from its reports by the worker
# (`domain/usage.py`, `adapters/usage_days.py`): exact units, so sums do not depend on batching.
machine_day_usage = Table(
    "machine_day_usage",
    metadata,
    Column("machine_id", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("operating_us", BigInteger, nullable=False),
    Column("idle_us", BigInteger, nullable=False),
    Column("fuel_used_mpct", BigInteger, nullable=False),  # thousandths of a % of the tank
    # millilitres: each report's drop levelled with the tank in force at its time (decision 120)
    Column("fuel_used_ml", BigInteger, nullable=False, server_default="0"),
    Column("windows", Integer, nullable=False),
    Column("longest_window_us", BigInteger, nullable=False),
)
