"""Alert rules: pure, versioned data. Every alert carries the version of the rule that raised it.

A rule looks at an accepted report with the machine's live state before and after it, and says
whether it fires. Its alert id is derived from what makes the alert unique (night work: the
machine and the night; continuous work: the machine and the start of the run; a tamper or a
jump: the fixes it rests on), so the same alert is derived again on a duplicate report, on a
later report of the same episode, and on replay: one alert per episode.
"""

from __future__ import annotations

from tianmen_telemetry.domain.alerting import Rule, Seen
from tianmen_telemetry.domain.continuous_work import ContinuousWorkRule
from tianmen_telemetry.domain.fuel import FuelDropWhileParkedRule, FuelUseAnomalyRule
from tianmen_telemetry.domain.modification import SuspectedModificationRule
from tianmen_telemetry.domain.movement import ImplausibleMovementRule, SilentAndMovedRule
from tianmen_telemetry.domain.night_work import NightWorkRule
from tianmen_telemetry.domain.register_rules import (
    OutsideSiteRule,
    RestrictedZoneRule,
    StoppedMachineRule,
)
from tianmen_telemetry.domain.screening import RuleSet
from tianmen_telemetry.domain.tamper import TamperAlarmRule

__all__ = ["NIGHT_WORK", "RULES", "Rule", "Seen"]

NIGHT_WORK = NightWorkRule()
RULES = RuleSet(
    (
        NIGHT_WORK,
        ContinuousWorkRule(),
        SilentAndMovedRule(),
        TamperAlarmRule(),
        ImplausibleMovementRule(),
        FuelDropWhileParkedRule(),
        RestrictedZoneRule(),
        OutsideSiteRule(),
        StoppedMachineRule(),
        SuspectedModificationRule(),
        FuelUseAnomalyRule(),
    )
)
