"""Working outside permitted hours: a report of work at night, local time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from tianmen_events import derive_id
from tianmen_events.codes import AlertRule
from tianmen_events.telemetry import AlertRaised

from tianmen_telemetry.domain.alerting import Seen, fix_of, make_alert
from tianmen_telemetry.domain.screening import WORKING


@dataclass(frozen=True)
class NightWorkRule:
    """Working between `night_starts` and `night_ends` local time, e.g. [22:00, 06:00), unless
    a night-work permit covers the site the machine stands on and the time (v2)."""

    name: AlertRule = AlertRule.NIGHT_WORK
    version: str = "night-work/2"
    needs: ClassVar[int] = WORKING
    timezone: str = "Asia/Shanghai"
    night_starts: time = time(22, 0)
    night_ends: time = time(6, 0)

    def local(self, at: datetime) -> datetime:
        if at.tzinfo is None:
            raise ValueError(f"{at.isoformat()} has no timezone")
        return at.astimezone(ZoneInfo(self.timezone))

    def is_night(self, at: datetime) -> bool:
        clock = self.local(at).time()
        return clock >= self.night_starts or clock < self.night_ends

    def night_date(self, at: datetime) -> date:
        """The local date on which the night began (01:30 on the 12th is the night of the 11th)."""
        local = self.local(at)
        return local.date() - timedelta(days=1) if local.time() < self.night_ends else local.date()

    def check(self, seen: Seen) -> AlertRaised | None:
        report = seen.report
        if not report.working or not self.is_night(report.reported_at):
            return None
        if seen.register.permit_for(report.latitude, report.longitude, report.reported_at):
            return None
        night = self.night_date(report.reported_at)
        alert_id = derive_id("alert", self.name, report.machine_id, night)
        detail = self.describe(report.reported_at)
        return make_alert(self, report, alert_id, detail, [fix_of(report)])

    def describe(self, at: datetime) -> str:
        return (
            f"working at {self.local(at):%H:%M} ({self.timezone}), outside permitted hours "
            f"{self.night_ends:%H:%M}–{self.night_starts:%H:%M}"
        )
