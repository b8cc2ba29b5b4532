"""What the registry said about a machine, as of a report: its standing, its enterprise's sites
and night-work permits, the restricted zones. Telemetry's projections fill it from the
registry's events; rules read it from `Seen.register`. Everything in it is dated by event time,
so a replay of the same events sees the same register at each report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from tianmen_telemetry.domain.geometry import Polygon

CHINA = ZoneInfo("Asia/Shanghai")
ACTIVE = "active"
SUSPENDED = "suspended"
DEREGISTERED = "deregistered"
REVIEW_OVERDUE = "review_overdue"  # a high-risk machine whose periodic inspection lapsed
TEST_EXPIRED = "third_party_test_expired"  # a high-risk machine whose third-party test ran out


@dataclass(frozen=True)
class Zone:
    zone_id: str
    kind: str  # e.g. "school", "water_source"
    polygon: Polygon


@dataclass(frozen=True)
class Site:
    site_id: str
    name: str
    polygon: Polygon


@dataclass(frozen=True)
class Permit:
    """Night work on `site_id` between `start` and `end` China time (`end` before `start`:
    past midnight), for reports in [valid_from, valid_until]."""

    permit_id: str
    site_id: str
    start: time
    end: time
    valid_from: datetime
    valid_until: datetime

    def covers(self, at: datetime) -> bool:
        if not self.valid_from <= at <= self.valid_until:
            return False
        clock = at.astimezone(CHINA).time()
        if self.start <= self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end


@dataclass(frozen=True)
class Standing:
    """The machine's status from `since` on (`since` None: as registered)."""

    status: str = ACTIVE
    since: datetime | None = None


@dataclass(frozen=True)
class Register:
    standing: Standing = Standing()
    sites: tuple[Site, ...] = ()
    permits: tuple[Permit, ...] = ()
    zones: tuple[Zone, ...] = ()
    jurisdiction: str | None = None
    engine_number: str | None = None  # as registered (the registry keeps no ECU identity)

    # Loops, not `next(generator)`: asked for every working report, and building the
    # generator cost as much as testing the one site most enterprises have.
    def site_at(self, latitude: float, longitude: float) -> Site | None:
        for site in self.sites:
            if site.polygon.contains(latitude, longitude):
                return site
        return None

    def zone_at(self, latitude: float, longitude: float) -> Zone | None:
        for zone in self.zones:
            if zone.polygon.contains(latitude, longitude):
                return zone
        return None

    def permit_for(self, latitude: float, longitude: float, at: datetime) -> Permit | None:
        site = self.site_at(latitude, longitude)
        if site is None:
            return None
        return next((p for p in self.permits if p.site_id == site.site_id and p.covers(at)), None)


NOTHING_KNOWN = Register()
