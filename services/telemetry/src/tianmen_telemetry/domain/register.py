"""Rules that need the registry's word: restricted zones, and a machine's standing.

The registry's events for zones and machine status (stop-use, deregistration) are not
published yet; these rules are pure and tested, and take what they need as a `Register`
snapshot that telemetry's projections will fill from those events. They are not in `RULES`
until then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tianmen_events import derive_id
from tianmen_events.codes import AlertRule
from tianmen_events.telemetry import AlertRaised

from tianmen_telemetry.domain.alerting import Seen, fix_of, make_alert
from tianmen_telemetry.domain.area import Area

STOPPED = frozenset({"suspended", "deregistered"})


@dataclass(frozen=True)
class Zone:
    zone_id: str
    kind: str  # e.g. "school", "water_source"
    area: Area


@dataclass(frozen=True)
class Register:
    """What the registry said, as of the report: restricted zones, machines' status."""

    restricted: tuple[Zone, ...] = ()
    status: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RestrictedZoneRule:
    name: AlertRule = AlertRule.WORK_IN_RESTRICTED_ZONE
    version: str = "restricted-zone/1"

    def check(self, seen: Seen, register: Register) -> AlertRaised | None:
        report = seen.report
        zones = [
            z for z in register.restricted if z.area.contains(report.latitude, report.longitude)
        ]
        if not report.working or not zones:
            return None
        zone = zones[0]
        day = report.reported_at.date().isoformat()
        alert_id = derive_id("alert", self.name, report.machine_id, zone.zone_id, day)
        detail = f"working inside restricted zone {zone.zone_id} ({zone.kind})"
        return make_alert(self, report, alert_id, detail, [fix_of(report)])


@dataclass(frozen=True)
class StoppedMachineRule:
    name: AlertRule = AlertRule.STOPPED_MACHINE_WORKING
    version: str = "stopped-machine/1"

    def check(self, seen: Seen, register: Register) -> AlertRaised | None:
        report = seen.report
        status = register.status.get(report.machine_id)
        if not report.working or status not in STOPPED:
            return None
        alert_id = derive_id("alert", self.name, report.machine_id, status)
        detail = f"working while {status}"
        return make_alert(self, report, alert_id, detail, [fix_of(report)])
