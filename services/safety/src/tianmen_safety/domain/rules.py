"""The safety-points rule table: data with a version, carried by every event derived from it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
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
    timezone: str = "Asia/Shanghai"

    def __post_init__(self) -> None:
        object.__setattr__(self, "violations", MappingProxyType(dict(self.violations)))

    def violation_for(self, alert_rule: AlertRule) -> ViolationRule:
        """The violation an alert rule counts as; refuse alert rules this table does not know."""
        try:
            return self.violations[alert_rule]
        except KeyError:
            raise DomainError(
                f"alert rule {str(alert_rule)!r} has no safety-points rule in {self.version}",
                field="rule",
            ) from None

    def cycle_year(self, at: datetime) -> int:
        """The cycle a moment belongs to: its calendar year in the rules' time zone."""
        return at.astimezone(ZoneInfo(self.timezone)).year


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
)
