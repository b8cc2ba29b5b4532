"""A machine's live state: the latest report by the terminal's own clock, not arrival order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tianmen_events.frozen import assembled
from tianmen_events.telemetry import TerminalReported

from tianmen_telemetry.domain.fuel_baseline import FuelBaseline, learn


@dataclass(frozen=True)
class LiveState:
    machine_id: str
    enterprise_id: str
    terminal_id: str
    report_id: str
    last_report_at: datetime
    latitude: float
    longitude: float
    working: bool
    engine_hours: float | None = None
    fuel_level_pct: float | None = None
    working_since: datetime | None = None
    fuel_leg_hours: float | None = None
    fuel_leg_pct: float | None = None
    fuel_rate_baseline: float | None = None
    fuel_rate_legs: int = 0
    # The latest odometer a report gave and that report's time: kept across reports without
    # one (a terminal may send item 0x01 only now and then); None while none ever came.
    odometer_km: float | None = None
    odometer_at: datetime | None = None

    @property
    def fuel(self) -> FuelBaseline:
        return FuelBaseline(
            self.fuel_leg_hours, self.fuel_leg_pct, self.fuel_rate_baseline, self.fuel_rate_legs
        )


# Work is continuous while the terminal reports it with no gap longer than this.
MAX_WORK_GAP = timedelta(minutes=10)


def evolve(state: LiveState | None, report: TerminalReported) -> LiveState:
    """Fold one report in; an older (or equally old) report than the one held changes nothing."""
    if state is not None and report.reported_at <= state.last_report_at:
        return state
    hours, pct = report.engine_hours, report.fuel_level_pct
    leg_hours, leg_pct, rate, legs = _fuel(state, hours, pct)
    odometer_km = report.mileage_km
    odometer_at: datetime | None = report.reported_at
    if odometer_km is None:
        odometer_at = None if state is None else state.odometer_at
        odometer_km = None if state is None else state.odometer_km
    return assembled(  # seventeen fields, once a report: all of them, in their order
        LiveState,
        {
            "machine_id": report.machine_id,
            "enterprise_id": report.enterprise_id,
            "terminal_id": report.terminal_id,
            "report_id": report.report_id,
            "last_report_at": report.reported_at,
            "latitude": report.latitude,
            "longitude": report.longitude,
            "working": report.working,
            "engine_hours": hours,
            "fuel_level_pct": pct,
            "working_since": _working_since(state, report),
            "fuel_leg_hours": leg_hours,
            "fuel_leg_pct": leg_pct,
            "fuel_rate_baseline": rate,
            "fuel_rate_legs": legs,
            "odometer_km": odometer_km,
            "odometer_at": odometer_at,
        },
    )


_NO_FUEL = (None, None, None, 0)


def _fuel(
    state: LiveState | None, hours: float | None, pct: float | None
) -> tuple[float | None, float | None, float | None, int]:
    """The fuel baseline's fields after the report: `learn`'s, without building a
    `FuelBaseline` for a report that teaches nothing (no hour meter or no level)."""
    if hours is not None and pct is not None:
        fuel = learn(state.fuel if state else FuelBaseline(), hours, pct)
        return fuel.leg_hours, fuel.leg_pct, fuel.rate, fuel.legs
    if state is None:
        return _NO_FUEL
    return state.fuel_leg_hours, state.fuel_leg_pct, state.fuel_rate_baseline, state.fuel_rate_legs


def _working_since(state: LiveState | None, report: TerminalReported) -> datetime | None:
    if not report.working:
        return None
    continuing = (
        state is not None
        and state.working_since is not None
        and report.reported_at - state.last_report_at <= MAX_WORK_GAP
    )
    return state.working_since if continuing and state else report.reported_at
