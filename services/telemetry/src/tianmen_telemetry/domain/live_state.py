"""A machine's live state: the latest report by the terminal's own clock, not arrival order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

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
    fuel = learn(
        state.fuel if state else FuelBaseline(), report.engine_hours, report.fuel_level_pct
    )
    return LiveState(  # positional: a frozen dataclass's keyword call costs about twice as much
        report.machine_id,
        report.enterprise_id,
        report.terminal_id,
        report.report_id,
        report.reported_at,
        report.latitude,
        report.longitude,
        report.working,
        report.engine_hours,
        report.fuel_level_pct,
        _working_since(state, report),
        fuel.leg_hours,
        fuel.leg_pct,
        fuel.rate,
        fuel.legs,
    )


def _working_since(state: LiveState | None, report: TerminalReported) -> datetime | None:
    if not report.working:
        return None
    continuing = (
        state is not None
        and state.working_since is not None
        and report.reported_at - state.last_report_at <= MAX_WORK_GAP
    )
    return state.working_since if continuing and state else report.reported_at
