"""A tip's progress as its reporter (and the gateway's staff steps) read it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from tianmen_reports.domain.tip import Tip


class StepView(BaseModel):
    status: str
    at: datetime


class Progress(BaseModel):
    """What the reporter sees: each step and its time, never who verified or who reported."""

    tip_id: str
    status: str
    jurisdiction: str | None
    due_at: datetime | None
    steps: list[StepView]
    merged_into: str | None
    reward: str = Field(description="none | granted | paid")
    reward_yuan: int | None = Field(default=None, description="The reward granted, if any")

    @classmethod
    def of(cls, tip: Tip) -> Progress:
        steps = [StepView(status=s.status.value, at=s.at) for s in tip.steps]
        return cls(
            tip_id=tip.tip_id,
            status=tip.status.value,
            jurisdiction=tip.jurisdiction,
            due_at=tip.due_at,
            steps=steps,
            merged_into=tip.merged_into,
            reward=_reward_state(tip),
            reward_yuan=tip.reward_yuan,
        )


def _reward_state(tip: Tip) -> str:
    if tip.reward_yuan is None:
        return "none"
    return "granted" if tip.reward_paid_at is None else "paid"
