"""The HTTP contract of credit's audit and repair endpoints; the gateway uses it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ContributionView(BaseModel):
    event_id: str
    kind: str
    effect: int
    at: datetime
    expires_at: datetime
    in_force: bool
    zh: str = Field(description="What it is, in Chinese")
    en: str = Field(description="What it is, in English")
    code: str
    repaired_by: str


class StandingView(BaseModel):
    enterprise_id: str
    at: datetime
    score: int
    grade: str
    procurement_restricted: bool
    model_version: str
    base_score: int
    contributions: list[ContributionView] = Field(description="In force first, then expired")


class FactView(BaseModel):
    event_id: str
    kind: str
    enterprise_id: str
    at: datetime = Field(description="Event time")
    recorded_at: datetime = Field(description="When the log recorded it")
    code: str
    severity: str
    points: int
    target: str


class AsOfView(BaseModel):
    at: datetime
    known_at: datetime
    known_then: StandingView = Field(description="From what was recorded by known_at")
    now_known: StandingView = Field(description="The same moment with everything recorded since")
    late: list[FactView] = Field(description="Facts about the period recorded after known_at")


class ScoreGrade(BaseModel):
    score: int
    grade: str


class Difference(BaseModel):
    current: ContributionView | None
    candidate: ContributionView | None


class GradeChangeView(BaseModel):
    enterprise_id: str
    current: ScoreGrade
    candidate: ScoreGrade
    why: list[Difference]


class WhatIfView(BaseModel):
    current_model: str
    candidate_model: str
    at: datetime | None
    events: int
    changes: list[GradeChangeView]


class RepairIn(BaseModel):
    target_event_id: str = Field(min_length=1, max_length=64, description="The deduction's event")
    evidence: list[str] = Field(min_length=1, max_length=20, description="Media ids or text")


class DecisionIn(BaseModel):
    approved: bool
    decided_by: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=500)


class RepairView(BaseModel):
    repair_id: str
    enterprise_id: str
    target_event_id: str
    status: str = Field(description="pending, approved or refused")
    evidence: list[str]
