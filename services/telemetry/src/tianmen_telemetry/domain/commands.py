"""Commands telemetry accepts: a batch of terminal reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tianmen_events.telemetry import TerminalAlarm


@dataclass(frozen=True)
class Report:
    """One terminal report as received (already validated at the edge; WGS-84)."""

    terminal_id: str
    reported_at: datetime
    latitude: float
    longitude: float
    working: bool
    engine_hours: float | None = None
    fuel_level_pct: float | None = None
    alarms: tuple[TerminalAlarm, ...] = ()
    engine_number: str | None = None
    # What a JT/T 808 terminal's fuel item says (litres); its server makes it the level's
    # percent with the machine's registered tank before submitting (`jt808/levels.py`).
    fuel_litres: float | None = None
    mileage_km: float | None = None  # the terminal's odometer (JT/T 808 item 0x01)


@dataclass(frozen=True)
class SubmitReports:
    reports: tuple[Report, ...]
