"""Citizen tip-offs, 随手拍 (owned by reports)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from tianmen_events.reports import TipCategory


class ReporterContact(BaseModel):
    name: str | None = None
    phone: str | None = Field(default=None, description="Mainland China mobile: 1[3-9] + 9 digits")


class TipCreate(BaseModel):
    category: TipCategory
    description: str = Field(description="What was seen, 1..2000 characters")
    latitude: float = Field(description="WGS-84 degrees")
    longitude: float = Field(description="WGS-84 degrees")
    photo_urls: list[str] = Field(default_factory=list, description="At most 9 http(s) URLs")
    anonymous: bool
    contact: ReporterContact | None = Field(
        default=None, description="Only for non-anonymous tips; never shown publicly"
    )


class TipReceipt(BaseModel):
    tip_id: str
    status: str
    submitted_at: datetime


class Location(BaseModel):
    latitude: float
    longitude: float


class TipView(BaseModel):
    tip_id: str
    category: TipCategory
    description: str
    location: Location
    status: str
    submitted_at: datetime
