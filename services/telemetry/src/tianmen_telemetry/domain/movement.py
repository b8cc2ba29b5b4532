"""Rules over two consecutive fixes: a terminal silent while working that reappears far away
(tamper: power or antenna cut while the machine is moved), and a jump no machine can make
(data quality, never a violation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from tianmen_events import derive_id
from tianmen_events.codes import AlertRule
from tianmen_events.telemetry import AlertRaised

from tianmen_telemetry.domain.alerting import (
    Seen,
    distance_km,
    fix_held,
    fix_of,
    make_alert,
    may_be_apart,
)
from tianmen_telemetry.domain.screening import AFTER_WORK, FOLLOWS


@dataclass(frozen=True)
class SilentAndMovedRule:
    """Last heard working, then silent for `min_silence`, then heard `min_km` away."""

    name: AlertRule = AlertRule.TERMINAL_SILENT_AND_MOVED
    version: str = "silent-and-moved/1"
    needs: ClassVar[int] = FOLLOWS | AFTER_WORK
    min_silence: timedelta = timedelta(minutes=30)
    min_km: float = 1.0

    def check(self, seen: Seen) -> AlertRaised | None:
        before, report = seen.before, seen.report
        if before is None or not seen.in_order or not before.working:
            return None
        silence = report.reported_at - before.last_report_at
        if silence < self.min_silence:
            return None
        km = distance_km(before, report)
        if km < self.min_km:
            return None
        alert_id = derive_id("alert", self.name, report.machine_id, before.report_id)
        minutes = silence / timedelta(minutes=1)
        detail = f"terminal silent {minutes:.0f} min while working, reappeared {km:.1f} km away"
        return make_alert(self, report, alert_id, detail, [fix_held(before), fix_of(report)])


@dataclass(frozen=True)
class ImplausibleMovementRule:
    """Two fixes `min_km` or more apart, implying a speed over `max_kmh` (data quality)."""

    name: AlertRule = AlertRule.IMPLAUSIBLE_MOVEMENT
    version: str = "implausible-movement/1"
    needs: ClassVar[int] = FOLLOWS
    max_kmh: float = 120.0
    min_km: float = 1.0

    def check(self, seen: Seen) -> AlertRaised | None:
        before, report = seen.before, seen.report
        if before is None or not seen.in_order or not may_be_apart(before, report, self.min_km):
            return None
        km = distance_km(before, report)
        hours = (report.reported_at - before.last_report_at) / timedelta(hours=1)
        if km < self.min_km or km / hours <= self.max_kmh:
            return None
        alert_id = derive_id("alert", self.name, report.machine_id, report.report_id)
        detail = f"moved {km:.1f} km in {hours * 60:.1f} min ({km / hours:.0f} km/h), over {self.max_kmh:g} km/h"
        return make_alert(self, report, alert_id, detail, [fix_held(before), fix_of(report)])
