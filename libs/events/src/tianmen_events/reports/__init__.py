"""Events produced by reports: citizen tip-offs ("随手拍").

The reporter's identity and contact never enter an event: they stay in the reports service's
own store, visible only to the staff who must contact the reporter.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from tianmen_events.base import DomainEvent
from tianmen_events.catalog import event
from tianmen_events.topics import REPORTS_TIP


class TipCategory(StrEnum):
    ILLEGAL_OPERATION = "illegal_operation"  # 非法操作
    UNLICENSED_OPERATION = "unlicensed_operation"  # 无证作业
    NIGHT_WORK = "night_work"  # 夜间施工
    SAFETY_HAZARD = "safety_hazard"  # 安全隐患
    OTHER = "other"


@event
class TipSubmitted(DomainEvent):
    type = "tianmen.reports.tip_submitted"
    topic = REPORTS_TIP.name
    subject = "tip_id"

    tip_id: str
    category: TipCategory
    description: str
    latitude: float = Field(ge=-90, le=90, description="WGS-84")
    longitude: float = Field(ge=-180, le=180, description="WGS-84")
    photo_urls: tuple[str, ...] = ()
    anonymous: bool
    has_contact: bool
    submitted_at: datetime
    reporter: str | None = Field(
        default=None, description="The reporter's pseudonym (HMAC of the reporter id), never the id"
    )
    media_ids: tuple[str, ...] = Field(default=(), description="Evidence uploaded to /media")


@event
class TipContactRevealed(DomainEvent):
    """A staff member saw a reporter's contact: the audit trail names who, when and why."""

    type = "tianmen.reports.tip_contact_revealed"
    topic = REPORTS_TIP.name
    subject = "tip_id"

    tip_id: str
    actor: str = Field(description="The staff member who asked to see the contact")
    reason: str
    revealed_at: datetime
