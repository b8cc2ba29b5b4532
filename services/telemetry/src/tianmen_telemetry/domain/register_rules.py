"""Rules on the registry's word: where a machine may work, and whether it may work at all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tianmen_events import derive_id
from tianmen_events.codes import AlertRule
from tianmen_events.telemetry import AlertRaised

from tianmen_telemetry.domain.alerting import Seen, fix_of, make_alert
from tianmen_telemetry.domain.register import ACTIVE, CHINA
from tianmen_telemetry.domain.screening import SITES, STOPPED, WORKING, ZONES


@dataclass(frozen=True)
class RestrictedZoneRule:
    """Working inside a restricted zone (school, water source): one alert per zone and day."""

    name: AlertRule = AlertRule.WORK_IN_RESTRICTED_ZONE
    version: str = "restricted-zone/1"
    needs: ClassVar[int] = WORKING | ZONES

    def check(self, seen: Seen) -> AlertRaised | None:
        report = seen.report
        zone = seen.register.zone_at(report.latitude, report.longitude) if report.working else None
        if zone is None:
            return None
        day = report.reported_at.astimezone(CHINA).date()
        alert_id = derive_id("alert", self.name, report.machine_id, zone.zone_id, day)
        detail = f"working inside restricted zone {zone.zone_id} ({zone.kind})"
        return make_alert(self, report, alert_id, detail, [fix_of(report)])


@dataclass(frozen=True)
class OutsideSiteRule:
    """Working outside every site its enterprise registered (an enterprise with no site
    registered is not judged): one alert per machine and day."""

    name: AlertRule = AlertRule.WORK_OUTSIDE_SITE
    version: str = "outside-site/1"
    needs: ClassVar[int] = WORKING | SITES

    def check(self, seen: Seen) -> AlertRaised | None:
        report, register = seen.report, seen.register
        if not report.working or not register.sites:
            return None
        if register.site_at(report.latitude, report.longitude) is not None:
            return None
        day = report.reported_at.astimezone(CHINA).date()
        alert_id = derive_id("alert", self.name, report.machine_id, day)
        names = ", ".join(s.name for s in register.sites)
        detail = f"working outside its enterprise's registered sites ({names})"
        return make_alert(self, report, alert_id, detail, [fix_of(report)])


@dataclass(frozen=True)
class StoppedMachineRule:
    """Working while suspended (stop-use), deregistered, or high-risk with its periodic
    inspection overdue or its third-party test expired (v3): one alert per machine and period
    of that status."""

    name: AlertRule = AlertRule.STOPPED_MACHINE_WORKING
    version: str = "stopped-machine/3"
    needs: ClassVar[int] = WORKING | STOPPED

    def check(self, seen: Seen) -> AlertRaised | None:
        report, standing = seen.report, seen.register.standing
        if not report.working or standing.status == ACTIVE:
            return None
        since = standing.since.isoformat() if standing.since else "registration"
        alert_id = derive_id("alert", self.name, report.machine_id, standing.status, since)
        detail = f"working while {standing.status.replace('_', ' ')} (since {since})"
        return make_alert(self, report, alert_id, detail, [fix_of(report)])
