"""Alert rules: pure, versioned data. Every alert carries the version of the rule that raised it.

A rule looks at one accepted report and says whether it fires. Its alert id is derived from
what makes the alert unique (for night work: the machine and the night), so the same alert is
derived again on a duplicate report, on a second report that night, and on replay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from tianmen_events import derive_id
from tianmen_events.codes import AlertRule
from tianmen_events.telemetry import AlertRaised, TerminalReported


class Rule(Protocol):
    @property
    def name(self) -> AlertRule: ...

    @property
    def version(self) -> str: ...

    def check(self, report: TerminalReported) -> AlertRaised | None: ...


@dataclass(frozen=True)
class NightWorkRule:
    """Working between `night_starts` and `night_ends` local time, e.g. [22:00, 06:00)."""

    name: AlertRule = AlertRule.NIGHT_WORK
    version: str = "night-work/1"
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

    def check(self, report: TerminalReported) -> AlertRaised | None:
        if not report.working or not self.is_night(report.reported_at):
            return None
        night = self.night_date(report.reported_at)
        return _alert(self, report, derive_id("alert", self.name, report.machine_id, night))

    def describe(self, at: datetime) -> str:
        return (
            f"working at {self.local(at):%H:%M} ({self.timezone}), outside permitted hours "
            f"{self.night_ends:%H:%M}–{self.night_starts:%H:%M}"
        )


def _alert(rule: NightWorkRule, report: TerminalReported, alert_id: str) -> AlertRaised:
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
        detail=rule.describe(report.reported_at),
    )


NIGHT_WORK = NightWorkRule()
RULES: tuple[Rule, ...] = (NIGHT_WORK,)
