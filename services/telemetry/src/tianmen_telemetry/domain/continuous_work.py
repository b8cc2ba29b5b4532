"""Continuous work beyond a limit: one alert per unbroken run of work that outlasts it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import ClassVar

from tianmen_events import derive_id
from tianmen_events.codes import AlertRule
from tianmen_events.telemetry import AlertRaised

from tianmen_telemetry.domain.alerting import Seen, fix_held, fix_of, make_alert
from tianmen_telemetry.domain.screening import FOLLOWS, RUNNING


@dataclass(frozen=True)
class ContinuousWorkRule:
    """Working without a break (no gap over `live_state.MAX_WORK_GAP`) for more than `limit`."""

    name: AlertRule = AlertRule.CONTINUOUS_WORK
    version: str = "continuous-work/1"
    needs: ClassVar[int] = FOLLOWS | RUNNING
    limit: timedelta = timedelta(hours=4)

    def check(self, seen: Seen) -> AlertRaised | None:
        since, report = seen.after.working_since, seen.report
        if not seen.in_order or since is None or seen.before is None:
            return None
        if report.reported_at - since <= self.limit:
            return None
        since = since.astimezone(UTC)  # the instant, not the offset it was written with
        alert_id = derive_id("alert", self.name, report.machine_id, since.isoformat())
        hours = (report.reported_at - since) / timedelta(hours=1)
        detail = f"working without a break since {since.isoformat()} ({hours:.1f} h), over the limit of {self.limit / timedelta(hours=1):g} h"
        return make_alert(self, report, alert_id, detail, [fix_held(seen.before), fix_of(report)])
