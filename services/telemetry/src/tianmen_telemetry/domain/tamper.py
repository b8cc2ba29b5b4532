"""Tamper alarms: the terminal reports its power or antenna cut, or its cover opened."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from zoneinfo import ZoneInfo

from tianmen_events import derive_id
from tianmen_events.codes import AlertRule
from tianmen_events.telemetry import AlertRaised

from tianmen_telemetry.domain.alerting import Seen, fix_of, make_alert
from tianmen_telemetry.domain.screening import ALARMED


@dataclass(frozen=True)
class TamperAlarmRule:
    """Any tamper alarm set: one alert per machine, alarm and local day."""

    name: AlertRule = AlertRule.TAMPER_ALARM
    version: str = "tamper-alarm/1"
    needs: ClassVar[int] = ALARMED
    timezone: str = "Asia/Shanghai"

    def check(self, seen: Seen) -> AlertRaised | None:
        report = seen.report
        if not report.alarms:
            return None
        alarms = ", ".join(report.alarms)
        day = report.reported_at.astimezone(ZoneInfo(self.timezone)).date()
        alert_id = derive_id("alert", self.name, report.machine_id, alarms, day)
        return make_alert(self, report, alert_id, f"terminal alarm: {alarms}", [fix_of(report)])
