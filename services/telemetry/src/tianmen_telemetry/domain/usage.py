"""Per-machine daily usage: operating and idle hours, continuous-work windows, fuel used.

Folded from reports in event-time order per machine (what `telemetry.report`'s key gives); a
report not newer than the last one folded counts nothing, so a redelivered or late report
changes no total and a replay gives the same figures. Time between two consecutive reports is
the earlier report's state, counted to the earlier report's local day (Asia/Shanghai), and only
when the gap is at most `MAX_WORK_GAP` (a longer silence is not known to be work).

- **operating**: ACC on (`working`) between the two reports;
- **idle**: operating while the machine stood (under `IDLE_RADIUS_M` between the fixes). Reports
  carry no engine load, so this is the GPS trackers' proxy "ignition on, not moving"; it counts
  an excavator digging in place as idle;
- **fuel used**: level points dropped between the two reports (a rise is a refuel, not use),
  in % of the tank: the register gives no tank size, so no litres;
- **continuous-work windows**: runs of operating time, closed by a report not working or a gap;
  per day, how many began and the longest (a run is credited to the day it began).

The telemetry worker takes each step from the machine's live state (`steps_from`: the state
holds all the fold keeps, `carry_of_state`) in exact units (`in_units`): integers, so a day's sum
is the same however the reports were batched (floats added in another order differ in their last
bits). `steps_from` builds no carry (the live state is it) and no `DayUsage`: a quarter of
`fold`'s CPU on the report path; a test holds it to `fold` then `in_units`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from tianmen_events.telemetry import TerminalReported

from tianmen_telemetry.domain.live_state import MAX_WORK_GAP, LiveState
from tianmen_telemetry.domain.register import CHINA

IDLE_RADIUS_M = 10.0


@dataclass(frozen=True)
class Carry:
    """What the fold keeps of a machine between reports."""

    at: datetime
    latitude: float
    longitude: float
    working: bool
    fuel_level_pct: float | None
    run_start: datetime | None  # the current continuous-work window's start


@dataclass(frozen=True)
class DayUsage:
    operating_s: float = 0.0
    idle_s: float = 0.0
    fuel_used_pct: float = 0.0
    windows: int = 0
    longest_window_s: float = 0.0

    def plus(self, other: DayUsage) -> DayUsage:
        return DayUsage(
            self.operating_s + other.operating_s,
            self.idle_s + other.idle_s,
            self.fuel_used_pct + other.fuel_used_pct,
            self.windows + other.windows,
            max(self.longest_window_s, other.longest_window_s),
        )


@dataclass(frozen=True)
class Step:
    """One report folded: the machine's carry after it, and what it adds to which days (time
    and fuel to the earlier report's day, a window to the day it began)."""

    carry: Carry
    parts: tuple[tuple[date, DayUsage], ...]


# A step's usage in exact units: operating, idle and longest-window microseconds, fuel used in
# thousandths of a percent of the tank, windows begun.
Units = tuple[int, int, int, int, int]


def carry_of_state(state: LiveState) -> Carry:
    """What the fold keeps, read off the live state the same reports evolved: its last report's
    time, fix, working and fuel level, and `working_since`, which is the run's start (both
    continue a run through a working report at most `MAX_WORK_GAP` after a working one)."""
    return Carry(
        state.last_report_at,
        state.latitude,
        state.longitude,
        state.working,
        state.fuel_level_pct,
        state.working_since,
    )


def in_units(usage: DayUsage) -> Units:
    """A step's seconds are whole microseconds (`timedelta`), so rounding gives them back
    exactly; fuel is rounded to a thousandth of a percent, once per step."""
    return (
        round(usage.operating_s * 1e6),
        round(usage.idle_s * 1e6),
        round(usage.fuel_used_pct * 1000),
        usage.windows,
        round(usage.longest_window_s * 1e6),
    )


def steps_from(before: LiveState | None, report: TerminalReported) -> list[tuple[date, Units]]:
    """`fold(carry_of_state(before), report)`'s parts `in_units` (none when the report is not
    newer than the state). The report's instant is taken in UTC once: the state's are in UTC,
    and comparing or subtracting instants in two zones (a decoded report's is in pydantic's
    own) costs ~1 us each, ten times as much as in one."""
    now = report.reported_at.astimezone(UTC)
    if before is None:
        return [(local_day(now), (0, 0, 0, 1, 0))] if report.working else []
    at = before.last_report_at
    if now <= at:
        return []
    gap = now - at
    worked = before.working and gap <= MAX_WORK_GAP
    spent = idle = used = 0
    if worked:
        spent = microseconds(gap)
        far = _metres(before.latitude, before.longitude, report.latitude, report.longitude)
        idle = spent if far < IDLE_RADIUS_M else 0
    was, level = before.fuel_level_pct, report.fuel_level_pct
    if was is not None and level is not None and was > level:
        used = round((was - level) * 1000)
    parts = [(local_day(at), (spent, idle, used, 0, 0))]
    if report.working:
        since = before.working_since if worked and before.working_since is not None else now
        window = (0, 0, 0, 1 if since == now else 0, microseconds(now - since))
        parts.append((local_day(since), window))
    return parts


def microseconds(span: timedelta) -> int:
    """`span // timedelta(microseconds=1)`, exactly, at a third of its cost."""
    return (span.days * 86_400 + span.seconds) * 1_000_000 + span.microseconds


class _LocalDays:
    """`at.astimezone(CHINA).date()`, with the last day's bounds kept (in UTC): a worker's
    reports fall on a day or two, and comparing UTC instants costs a tenth of converting one."""

    def __init__(self) -> None:
        self._bounds = (datetime.max.replace(tzinfo=UTC), datetime.min.replace(tzinfo=UTC))
        self._day = date.min

    def __call__(self, at: datetime) -> date:
        start, end = self._bounds
        if start <= at < end:
            return self._day
        day = at.astimezone(CHINA).date()
        try:  # the local midnights that bound it
            start = datetime.combine(day, time(), CHINA).astimezone(UTC)
            end = datetime.combine(day + timedelta(days=1), time(), CHINA).astimezone(UTC)
        except OverflowError:  # the first or last day a datetime holds: not kept
            return day
        self._bounds, self._day = (start, end), day
        return day


local_day = _LocalDays()


def fold(carry: Carry | None, report: TerminalReported) -> Step | None:
    """None: the report is not newer than the last one folded, and counts nothing."""
    if carry is not None and report.reported_at <= carry.at:
        return None
    gap = None if carry is None else report.reported_at - carry.at
    worked = carry is not None and carry.working and gap is not None and gap <= MAX_WORK_GAP
    run_start = _run_start(carry, report, worked)
    after = Carry(
        report.reported_at,
        report.latitude,
        report.longitude,
        report.working,
        report.fuel_level_pct,
        run_start,
    )
    parts = [] if carry is None else [(local_day(carry.at), _between(carry, report, worked))]
    if run_start is not None:
        window = DayUsage(
            windows=1 if run_start == report.reported_at else 0,
            longest_window_s=(report.reported_at - run_start).total_seconds(),
        )
        parts.append((local_day(run_start), window))
    return Step(after, tuple(parts))


def _run_start(carry: Carry | None, report: TerminalReported, worked: bool) -> datetime | None:
    if not report.working:
        return None
    if worked and carry is not None and carry.run_start is not None:
        return carry.run_start
    return report.reported_at


def _between(carry: Carry, report: TerminalReported, worked: bool) -> DayUsage:
    seconds = (report.reported_at - carry.at).total_seconds() if worked else 0.0
    far = _metres(carry.latitude, carry.longitude, report.latitude, report.longitude)
    stood = far < IDLE_RADIUS_M
    used = 0.0
    if carry.fuel_level_pct is not None and report.fuel_level_pct is not None:
        used = max(0.0, carry.fuel_level_pct - report.fuel_level_pct)
    return DayUsage(seconds, seconds if stood else 0.0, used)


def _metres(lat0: float, lon0: float, lat1: float, lon1: float) -> float:
    lat = math.radians((lat0 + lat1) / 2)
    dy = (lat1 - lat0) * 111_320.0
    dx = (lon1 - lon0) * 111_320.0 * math.cos(lat)
    return math.hypot(dx, dy)
