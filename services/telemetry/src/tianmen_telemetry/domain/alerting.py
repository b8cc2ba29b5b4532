"""What every rule shares: what it sees of a report, its protocol, and how an alert is made.

A rule sees the report with the machine's live state before and after it (`Seen`), so rules
over time (continuous work, silence, movement) need no store of their own. Rules over time only
look at reports that arrive in order (`Seen.in_order`): a late report is history, not news.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import Protocol

from tianmen_events.codes import AlertRule
from tianmen_events.telemetry import AlertRaised, Fix, TerminalReported

from tianmen_telemetry.domain.live_state import LiveState
from tianmen_telemetry.domain.register import NOTHING_KNOWN, Register


@dataclass(frozen=True)
class Seen:
    report: TerminalReported
    before: LiveState | None
    after: LiveState
    register: Register = NOTHING_KNOWN
    """What the registry said about the machine as of the report (filled for working reports)."""
    in_order: bool = field(init=False, repr=False, compare=False)
    """Worked out once (every rule over time asks, and `decide`): a late report is history."""

    def __post_init__(self) -> None:
        before = self.before
        late = before is not None and self.report.reported_at <= before.last_report_at
        object.__setattr__(self, "in_order", not late)


class Named(Protocol):
    @property
    def name(self) -> AlertRule: ...

    @property
    def version(self) -> str: ...


class Rule(Named, Protocol):
    @property
    def needs(self) -> int:
        """The facts (`screening`) `check` requires before it can fire, a bit each."""

    def check(self, seen: Seen) -> AlertRaised | None: ...


def fix_of(report: TerminalReported) -> Fix:
    """Evidence is in UTC, whatever offset the terminal wrote."""
    return Fix(
        report_id=report.report_id,
        reported_at=report.reported_at.astimezone(UTC),
        latitude=report.latitude,
        longitude=report.longitude,
        working=report.working,
    )


def fix_held(state: LiveState) -> Fix:
    return Fix(
        report_id=state.report_id,
        reported_at=state.last_report_at.astimezone(UTC),
        latitude=state.latitude,
        longitude=state.longitude,
        working=state.working,
    )


def make_alert(
    rule: Named, report: TerminalReported, alert_id: str, detail: str, evidence: Sequence[Fix]
) -> AlertRaised:
    return AlertRaised(
        alert_id=alert_id,
        enterprise_id=report.enterprise_id,
        machine_id=report.machine_id,
        terminal_id=report.terminal_id,
        rule=rule.name,
        rule_version=rule.version,
        observed_at=report.reported_at,
        latitude=report.latitude,
        longitude=report.longitude,
        detail=detail,
        evidence=tuple(evidence),
    )


EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180


class Positioned(Protocol):
    @property
    def latitude(self) -> float: ...

    @property
    def longitude(self) -> float: ...


def distance_km(a: Positioned, b: Positioned) -> float:
    """Great-circle distance (haversine) between two WGS-84 positions (fixes, reports, held
    states: rules measure before they build evidence, which only an alert needs)."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def may_be_apart(a: Positioned, b: Positioned, km: float) -> bool:
    """False only when `a` and `b` are surely less than `km` apart, without trigonometry: the
    distance is at most the meridian's arc between their latitudes plus the parallel's arc
    between their longitudes, each at most its degrees times `KM_PER_DEGREE` (0.1 % spared for
    rounding, so `distance_km` never says otherwise)."""
    degrees = abs(a.latitude - b.latitude) + abs(a.longitude - b.longitude)
    return degrees * KM_PER_DEGREE * 1.001 >= km
