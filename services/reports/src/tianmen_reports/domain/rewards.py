"""Rewards for verified tips: a versioned table of amounts by category and severity.

Only the first valid reporter is rewarded: a later tip about the same thing is merged as a
duplicate and never verified, so it never earns. Reporters are paid under their pseudonym.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from tianmen_events.errors import Conflict
from tianmen_events.reports import RewardGranted, RewardPaid, TipCategory, TipVerified

from tianmen_reports.domain.tip import Tip


@dataclass(frozen=True)
class RewardRules:
    version: str = "rewards/2026.1"
    ordinary_yuan: int = 50
    major_hazard_yuan: int = 200
    by_category: Mapping[TipCategory, tuple[int, int]] = field(
        default_factory=lambda: MappingProxyType({TipCategory.UNSAFE_HOISTING: (100, 500)})
    )

    def amount(self, category: TipCategory, major_hazard: bool) -> int:
        ordinary, major = self.by_category.get(
            category, (self.ordinary_yuan, self.major_hazard_yuan)
        )
        return major if major_hazard else ordinary


def grant(verified: TipVerified, rules: RewardRules) -> RewardGranted:
    return RewardGranted(
        tip_id=verified.tip_id,
        reporter=verified.reporter,
        amount_yuan=rules.amount(verified.category, verified.major_hazard),
        rules_version=rules.version,
        granted_at=verified.verified_at,
    )


def pay(tip: Tip, *, actor: str, now: datetime) -> RewardPaid:
    if tip.reward_yuan is None:
        raise Conflict("this tip earned no reward", field="status")
    if tip.reward_paid_at is not None:
        raise Conflict("the reward was already paid", field="status")
    return RewardPaid(tip_id=tip.tip_id, amount_yuan=tip.reward_yuan, paid_at=now, actor=actor)
