"""Events produced by credit: every change of an enterprise's score, with its reasons."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tianmen_events.base import DomainEvent
from tianmen_events.catalog import event
from tianmen_events.topics import CREDIT_ENTERPRISE


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
