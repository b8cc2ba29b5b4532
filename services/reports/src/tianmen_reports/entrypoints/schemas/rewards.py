"""A reporter's rewards (奖励: "一经核实即给予奖励", the center pays for a verified tip)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field
from tianmen_events.reports import TipCategory

from tianmen_reports.domain.tip import Tip


class RewardView(BaseModel):
    """One verified tip's reward: granted when the tip was verified, paid when staff record it."""

    tip_id: str
    category: TipCategory
    major_hazard: bool
    amount_yuan: int
    state: Literal["granted", "paid"]
    granted_at: datetime = Field(description="When the tip was verified")
    paid_at: datetime | None

    @classmethod
    def of(cls, tip: Tip) -> RewardView | None:
        """The tip's reward, or None when it earned none (not verified, or a duplicate)."""
        if tip.reward_yuan is None or tip.verified_at is None:
            return None
        return cls(
            tip_id=tip.tip_id,
            category=tip.category,
            major_hazard=tip.major_hazard,
            amount_yuan=tip.reward_yuan,
            state="granted" if tip.reward_paid_at is None else "paid",
            granted_at=tip.verified_at,
            paid_at=tip.reward_paid_at,
        )


class Rewards(BaseModel):
    """The reporter's rewards, newest tip first, and what they add up to."""

    items: list[RewardView]
    granted_yuan: int = Field(description="All rewards granted, paid or not")
    paid_yuan: int

    @classmethod
    def of(cls, tips: list[Tip]) -> Rewards:
        items = [view for view in map(RewardView.of, tips) if view is not None]
        paid = sum(view.amount_yuan for view in items if view.state == "paid")
        return cls(items=items, granted_yuan=sum(v.amount_yuan for v in items), paid_yuan=paid)
