"""Events produced by credit: every change of an enterprise's score, with its reasons."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tianmen_events.base import DomainEvent
from tianmen_events.catalog import event
from tianmen_events.instants import Instant
from tianmen_events.topics import CREDIT_ENTERPRISE, CREDIT_REPAIR


class CreditReason(BaseModel):
    """One cause of a score change: the event that caused it and what it did to the score."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: str
    event_type: str
    description: str
    delta: int


@event
class CreditScoreChanged(DomainEvent):
    type = "tianmen.credit.credit_score_changed"
    topic = CREDIT_ENTERPRISE.name
    subject = "enterprise_id"

    enterprise_id: str
    score_before: int
    score: int
    grade_before: str
    grade: str
    procurement_restricted: bool
    model_version: str
    reasons: tuple[CreditReason, ...]


@event
class CreditRepairApplied(DomainEvent):
    """An enterprise asks that a deduction be repaired, with evidence of rectification."""

    type = "tianmen.credit.credit_repair_applied"
    topic = CREDIT_REPAIR.name
    subject = "repair_id"

    enterprise_id: str
    repair_id: str
    target_event_id: str = Field(description="The event whose deduction is to be repaired")
    evidence: tuple[str, ...] = Field(description="What shows the rectification (media ids, text)")
    applied_at: Instant


@event
class CreditRepairDecided(DomainEvent):
    """Staff approve or refuse a repair; an approved one restores part of the deduction."""

    type = "tianmen.credit.credit_repair_decided"
    topic = CREDIT_REPAIR.name
    subject = "repair_id"

    enterprise_id: str
    repair_id: str
    target_event_id: str
    approved: bool
    decided_by: str
    reason: str
    decided_at: Instant


@event
class ProcurementRestrictionChanged(DomainEvent):
    """The grade crossed the model's restriction line at `at` (event time): imposed or lifted."""

    type = "tianmen.credit.procurement_restriction_changed"
    topic = CREDIT_ENTERPRISE.name
    subject = "enterprise_id"

    enterprise_id: str
    restricted: bool
    grade: str
    score: int
    at: Instant
    model_version: str
    cause_event_id: str = Field(description="The fact, or the expiry of one, that crossed the line")
