"""An enterprise's safety-points ledger (safety) and credit score (credit)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from tianmen_gateway.entrypoints.schemas.registry import EnterpriseView


class Violation(BaseModel):
    violation_id: str
    event_id: str
    machine_id: str | None
    code: str
    description: str
    occurred_at: datetime
    points: int
    source_event_id: str = Field(description="The event (alert, tip, inspection) that caused it")
    source_event_type: str
    rule_version: str


class Deduction(BaseModel):
    event_id: str
    violation_id: str
    points: int
    balance_after: int
    time: datetime
    rule_version: str


class Ledger(BaseModel):
    enterprise_id: str
    cycle_year: int
    initial_points: int
    balance: int
    bidding_suspended: bool
    key_supervision: bool
    rule_version: str
    violations: list[Violation]
    deductions: list[Deduction]


class ScoreReason(BaseModel):
    event_id: str
    event_type: str
    description: str
    delta: int


class ScoreChange(BaseModel):
    event_id: str
    time: datetime
    score_before: int
    score: int
    grade_before: str
    grade: str
    model_version: str
    reasons: list[ScoreReason]


class Score(BaseModel):
    enterprise_id: str
    score: int
    grade: str
    procurement_restricted: bool
    model_version: str
    history: list[ScoreChange]


class EnterpriseOverview(EnterpriseView):
    """The registry's enterprise with its ledger and score (the initial ones if it has none yet)."""

    safety: Ledger
    credit: Score


class Digests(BaseModel):
    """State digests of the services that derive their state from events."""

    telemetry: str
    safety: str
    credit: str
