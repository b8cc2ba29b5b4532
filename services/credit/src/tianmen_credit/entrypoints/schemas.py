"""Response shapes of the query API (docs/service-contracts.md, credit)."""

from __future__ import annotations

from pydantic import BaseModel


class ReasonView(BaseModel):
    event_id: str
    event_type: str
    description: str
    delta: int


class ChangeView(BaseModel):
    event_id: str
    time: str
    score_before: int
    score: int
    grade_before: str
    grade: str
    model_version: str
    reasons: list[ReasonView]


class ScoreView(BaseModel):
    enterprise_id: str
    score: int
    grade: str
    procurement_restricted: bool
    model_version: str
    history: list[ChangeView]
