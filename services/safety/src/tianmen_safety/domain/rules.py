"""The safety-points rule table: data with a version, carried by every event derived from it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

from tianmen_events.codes import AlertRule, ViolationCode
from tianmen_events.errors import DomainError


@dataclass(frozen=True)
class ViolationRule:
    """What an alert of one telemetry rule counts as, and what it costs."""

    code: ViolationCode
    points: int

    @property
    def description(self) -> str:
        return self.code.about.description


@dataclass(frozen=True)
class PointsRules:
    """Yearly safety-points cycle: start at `initial_points`, act when the balance falls."""

    version: str
    initial_points: int
    bidding_suspension_at: int
    key_supervision_at: int
    violations: Mapping[AlertRule, ViolationRule]
    found_points: Mapping[ViolationCode, int] = field(default_factory=dict)
    """What codes found by people (verified tips, inspections) cost, beside the alerts' table."""
    timezone: str = "Asia/Shanghai"
    warning_at: int = 80
    """At or below: a warning (the enterprise is told before bidding is suspended)."""
    delist_after_days: int = 90
    """A rectification period: this long after its listing and its latest violation in the
    cycle, with none since, an enterprise comes off the key-supervision list."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "violations", MappingProxyType(dict(self.violations)))
        object.__setattr__(self, "found_points", MappingProxyType(dict(self.found_points)))
        priced: dict[ViolationCode, int] = {}
        for rule in self.violations.values():  # the first rule of a code prices it
            priced.setdefault(rule.code, rule.points)
        object.__setattr__(self, "_priced", {**priced, **self.found_points})

    def points_for(self, code: ViolationCode) -> int:
        """What a violation of `code` deducts; refuse codes this table does not price. (Found
        codes first, then the first alert rule of the code: one look-up, built once, where
        walking the alert rules cost ~0.5 us a violation.)"""
        priced: Mapping[ViolationCode, int] = self._priced  # type: ignore[attr-defined]
        if code in priced:
            return priced[code]
        raise DomainError(
            f"violation code {str(code)!r} has no points in {self.version}", field="code"
        )

    def violation_for(self, alert_rule: AlertRule) -> ViolationRule:
        """The violation an alert rule counts as; refuse alert rules this table does not know."""
        try:
            return self.violations[alert_rule]
        except KeyError:
            raise DomainError(
                f"alert rule {str(alert_rule)!r} has no safety-points rule in {self.version}",
                field="rule",
            ) from None

    def warning_level(self, balance: int) -> str:
        """normal → warning → bidding_suspension → key_supervision, as the balance falls."""
        if balance <= self.key_supervision_at:
            return "key_supervision"
        if balance <= self.bidding_suspension_at:
            return "bidding_suspension"
        return "warning" if balance <= self.warning_at else "normal"

    def cycle_end(self, year: int) -> datetime:
        """When a cycle ends (and what was listed in it drops off): the next new year's midnight."""
        return datetime(year + 1, 1, 1, tzinfo=_zone(self.timezone))

    def cycle_year(self, at: datetime) -> int:
        """The cycle a moment belongs to: its calendar year in the rules' time zone. A time in
        UTC (a row's, a header's) is placed between its year's new years, kept in UTC: two
        comparisons, where converting it to the zone cost ~1 us (once a violation)."""
        if at.tzinfo is not UTC:
            return at.astimezone(_zone(self.timezone)).year
        year = at.year
        if at < _new_year(self.timezone, year):
            return year - 1
        if at >= _new_year(self.timezone, year + 1):
            return year + 1
        return year


_zone = lru_cache(maxsize=8)(ZoneInfo)
"""The rules' zone by name: `ZoneInfo(key)` is the same object each time, but finding it in
its own cache costs twice this look-up (once a violation, for its cycle)."""


@lru_cache(maxsize=64)
def _new_year(zone: str, year: int) -> datetime:
    """When `year` starts in `zone`, in UTC."""
    return datetime(year, 1, 1, tzinfo=_zone(zone)).astimezone(UTC)


RULES = PointsRules(
    version="safety-points/2026.1",
    initial_points=100,
    bidding_suspension_at=60,
    key_supervision_at=0,
    violations={
        AlertRule.NIGHT_WORK: ViolationRule(ViolationCode.NIGHT_WORK_WITHOUT_PERMIT, points=5),
        AlertRule.CONTINUOUS_WORK: ViolationRule(
            ViolationCode.CONTINUOUS_WORK_BEYOND_LIMIT, points=2
        ),
        AlertRule.TERMINAL_SILENT_AND_MOVED: ViolationRule(
            ViolationCode.SUSPECTED_TERMINAL_TAMPERING, points=10
        ),
        AlertRule.TAMPER_ALARM: ViolationRule(
            ViolationCode.SUSPECTED_TERMINAL_TAMPERING, points=10
        ),
        # Data quality: never recorded as a violation (ViolationInfo.data_quality).
        AlertRule.IMPLAUSIBLE_MOVEMENT: ViolationRule(
            ViolationCode.IMPLAUSIBLE_POSITION_DATA, points=0
        ),
        AlertRule.FUEL_DROP_WHILE_PARKED: ViolationRule(ViolationCode.FUEL_LEVEL_ANOMALY, points=0),
        AlertRule.WORK_IN_RESTRICTED_ZONE: ViolationRule(
            ViolationCode.WORK_IN_RESTRICTED_ZONE, points=10
        ),
        AlertRule.STOPPED_MACHINE_WORKING: ViolationRule(
            ViolationCode.STOPPED_MACHINE_WORKING, points=12
        ),
        AlertRule.WORK_OUTSIDE_SITE: ViolationRule(ViolationCode.WORK_OUTSIDE_SITE, points=3),
        AlertRule.SUSPECTED_ILLEGAL_MODIFICATION: ViolationRule(
            ViolationCode.SUSPECTED_ILLEGAL_MODIFICATION, points=6
        ),
        AlertRule.FUEL_USE_ANOMALY: ViolationRule(ViolationCode.FUEL_LEVEL_ANOMALY, points=0),
    },
    found_points={
        ViolationCode.UNLICENSED_OPERATOR: 6,
        ViolationCode.UNSAFE_HOISTING_MACHINERY: 12,
        ViolationCode.CONSTRUCTION_DUST: 3,
        ViolationCode.UNSAFE_OPERATION: 6,
        ViolationCode.MAJOR_HAZARD_FOUND_AT_INSPECTION: 12,
        ViolationCode.HAZARD_FOUND_AT_INSPECTION: 3,
    },
)
