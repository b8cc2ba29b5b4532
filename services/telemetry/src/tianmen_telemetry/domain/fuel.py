"""Fuel anomalies: the level drops while the machine stands (theft, or a faulty sensor), or a
leg of work uses far more than the machine's own baseline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tianmen_events import derive_id
from tianmen_events.codes import AlertRule
from tianmen_events.telemetry import AlertRaised

from tianmen_telemetry.domain.alerting import Seen, fix_held, fix_of, make_alert
from tianmen_telemetry.domain.fuel_baseline import is_anomalous, leg_rate
from tianmen_telemetry.domain.screening import AFTER_IDLE, BASELINE, FOLLOWS, IDLE


@dataclass(frozen=True)
class FuelDropWhileParkedRule:
    """Two consecutive reports, neither working, with the level `min_drop_pct` points lower."""

    name: AlertRule = AlertRule.FUEL_DROP_WHILE_PARKED
    version: str = "fuel-drop-parked/1"
    needs: ClassVar[int] = FOLLOWS | AFTER_IDLE | IDLE
    min_drop_pct: float = 10.0

    def check(self, seen: Seen) -> AlertRaised | None:
        before, report = seen.before, seen.report
        if before is None or not seen.in_order or before.working or report.working:
            return None
        if before.fuel_level_pct is None or report.fuel_level_pct is None:
            return None
        drop = before.fuel_level_pct - report.fuel_level_pct
        if drop < self.min_drop_pct:
            return None
        alert_id = derive_id("alert", self.name, report.machine_id, before.report_id)
        detail = (
            f"fuel level fell from {before.fuel_level_pct:g}% to {report.fuel_level_pct:g}% "
            "while parked"
        )
        return make_alert(self, report, alert_id, detail, [fix_held(before), fix_of(report)])


@dataclass(frozen=True)
class FuelUseAnomalyRule:
    """A leg of work that used far more fuel per engine hour than the machine's own baseline
    (`fuel_baseline`): theft while working, a leak, or a sensor to check. One alert per leg."""

    name: AlertRule = AlertRule.FUEL_USE_ANOMALY
    version: str = "fuel-use-baseline/1"
    needs: ClassVar[int] = FOLLOWS | BASELINE

    def check(self, seen: Seen) -> AlertRaised | None:
        before, report = seen.before, seen.report
        if before is None or not seen.in_order:
            return None
        held = before.fuel
        rate = leg_rate(held, report.engine_hours, report.fuel_level_pct)
        if rate is None or held.rate is None or not is_anomalous(held, rate):
            return None
        alert_id = derive_id("alert", self.name, report.machine_id, held.leg_hours)
        detail = (
            f"used {rate:.1f}% of the tank per engine hour since hour {held.leg_hours:g}, "
            f"against its own baseline of {held.rate:.1f}%/h"
        )
        return make_alert(self, report, alert_id, detail, [fix_held(before), fix_of(report)])
