"""The HTTP contract of reports (the rules live in the domain); the gateway uses it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Header
from pydantic import BaseModel, Field
from tianmen_events.reports import TipCategory

from tianmen_reports.domain.commands import Contact, SubmitTip
from tianmen_reports.domain.media import MediaKind
from tianmen_reports.domain.tip import Tip
from tianmen_reports.entrypoints.schemas.open311 import (
    HIDDEN,
    Created311,
    Receipts311,
    Request311,
    Request311In,
    Requests311,
    Service311,
    Services311,
)

__all__ = [
    "Created311",
    "Receipts311",
    "Request311",
    "Request311In",
    "Requests311",
    "Service311",
    "Services311",
]

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Retrying with the same key returns the same tip (200) instead of a second one",
    ),
]

ReporterId = Annotated[
    str | None,
    Header(
        alias="X-Reporter-Id",
        min_length=1,
        max_length=128,
        description="The citizen's id, set by the gateway; only its pseudonym leaves this service",
    ),
]


class ContactIn(BaseModel):
    name: str | None = Field(default=None, description="1..50 characters")
    phone: str | None = Field(default=None, description="Mainland China mobile: 1[3-9] + 9 digits")


class TipIn(BaseModel):
    category: TipCategory
    description: str = Field(description="What was seen, 1..2000 characters")
    latitude: float = Field(description="WGS-84 degrees")
    longitude: float = Field(description="WGS-84 degrees")
    photo_urls: list[str] = Field(default_factory=list, description="At most 9 http(s) URLs")
    media_ids: list[str] = Field(default_factory=list, description="Ids from POST /media")
    anonymous: bool
    contact: ContactIn | None = Field(
        default=None, description="Only for non-anonymous tips; never shown publicly"
    )

    def to_command(self, tip_id: str, reporter: str | None = None) -> SubmitTip:
        contact = self.contact
        return SubmitTip(
            tip_id=tip_id,
            category=self.category,
            description=self.description,
            latitude=self.latitude,
            longitude=self.longitude,
            anonymous=self.anonymous,
            photo_urls=tuple(self.photo_urls),
            contact=Contact(contact.name, contact.phone) if contact else None,
            reporter=reporter,
            media_ids=tuple(self.media_ids),
        )


class TipReceipt(BaseModel):
    tip_id: str
    status: str
    submitted_at: datetime
    similar_tips: list[str] = Field(
        default_factory=list,
        description="Open tips of the same category nearby: the reporter may follow one instead",
    )

    @classmethod
    def of(cls, tip: Tip, similar: tuple[str, ...] = ()) -> TipReceipt:
        return cls(
            tip_id=tip.tip_id,
            status=tip.status.value,
            submitted_at=tip.submitted_at,
            similar_tips=list(similar),
        )


class Location(BaseModel):
    latitude: float
    longitude: float


class TipView(BaseModel):
    """The public view of a tip: never the reporter's contact."""

    tip_id: str
    category: TipCategory
    description: str
    location: Location
    status: str
    submitted_at: datetime

    @classmethod
    def of(cls, tip: Tip) -> TipView:
        return cls(
            tip_id=tip.tip_id,
            category=tip.category,
            description=HIDDEN if tip.hidden else tip.description,
            location=Location(latitude=tip.latitude, longitude=tip.longitude),
            status=tip.status.value,
            submitted_at=tip.submitted_at,
        )


class MediaReceipt(BaseModel):
    """An uploaded photo or video, cleaned: name its id in a tip's `media_ids`."""

    media_id: str
    kind: MediaKind
    content_type: str
    bytes: int


class Figures(BaseModel):
    """What the center publishes about tips for a period (`domain.statistics.Figures`)."""

    received: int
    verified: int
    verified_rate: float
    major_hazards: int
    average_hours_to_verify: float | None
    rewards_paid: int
    rewards_paid_yuan: int


class FiguresView(BaseModel):
    start: datetime
    end: datetime
    as_of: datetime
    jurisdiction: str | None
    figures: Figures
