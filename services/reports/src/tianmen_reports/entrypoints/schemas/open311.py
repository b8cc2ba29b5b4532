"""The Open311 GeoReport v2 contract (JSON): services are our categories, requests our tips.

Kept with the other HTTP contracts so the gateway publishes these very models, not a copy.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, RootModel
from tianmen_events.reports import TipCategory

from tianmen_reports.domain.tip import Tip, TipStatus

NAMES = {
    TipCategory.ILLEGAL_OPERATION: "非法操作 Illegal operation",
    TipCategory.UNLICENSED_OPERATION: "无证作业 Unlicensed operator",
    TipCategory.NIGHT_WORK: "夜间施工 Night work",
    TipCategory.SAFETY_HAZARD: "安全隐患 Safety hazard",
    TipCategory.UNSAFE_HOISTING: "起重机械隐患 Unsafe hoisting machinery",
    TipCategory.DUST_AND_NOISE: "扬尘噪声 Dust and noise",
    TipCategory.OTHER: "其他 Other",
}
HIDDEN = "（该内容已被隐藏 / hidden by moderation）"
OPEN = (TipStatus.SUBMITTED, TipStatus.ASSIGNED, TipStatus.VERIFYING)


class Service311(BaseModel):
    service_code: str
    service_name: str
    description: str
    metadata: bool = False
    type: str = "realtime"
    keywords: str = ""
    group: str = "construction machinery"


class Request311In(BaseModel):
    """A service request as GeoReport v2 clients post it (form-encoded). Fields the standard
    has and tips do not (`jurisdiction_id`, `address_string`, `email`, `device_id`, …) are
    ignored, as the standard lets a server do."""

    model_config = ConfigDict(extra="ignore")

    service_code: TipCategory = Field(description="A `service_code` of services.json")
    lat: float = Field(ge=-90, le=90, description="WGS-84 degrees")
    long: float = Field(ge=-180, le=180, description="WGS-84 degrees")
    description: str = Field(min_length=1, max_length=2000, description="What was seen")
    media_url: str | None = Field(default=None, max_length=2000, description="A photo's URL")
    first_name: str | None = Field(default=None, max_length=50)
    last_name: str | None = Field(default=None, max_length=50)
    phone: str | None = Field(default=None, max_length=20, description="Never shown publicly")

    def contact(self) -> tuple[str | None, str | None]:
        """The reporter's name (family name first) and phone, each None when not given."""
        name = " ".join(p for p in (self.last_name, self.first_name) if p) or None
        return name, self.phone


class Created311(BaseModel):
    service_request_id: str
    service_notice: str = "Thank you: follow the status with this id"
    account_id: str | None = None


class Request311(BaseModel):
    service_request_id: str
    status: str
    status_notes: str
    service_name: str
    service_code: str
    description: str
    requested_datetime: datetime
    updated_datetime: datetime
    lat: float
    long: float
    media_url: str | None

    @classmethod
    def of(cls, tip: Tip) -> Request311:
        last = tip.steps[-1]
        notes = f"duplicate of {tip.merged_into}" if tip.merged_into else last.status.value
        return cls(
            service_request_id=tip.tip_id,
            status="open" if last.status in OPEN else "closed",
            status_notes=notes,
            service_name=NAMES[tip.category],
            service_code=tip.category.value,
            description=HIDDEN if tip.hidden else tip.description,
            requested_datetime=tip.submitted_at,
            updated_datetime=last.at,
            lat=tip.latitude,
            long=tip.longitude,
            media_url=tip.photo_urls[0] if tip.photo_urls else None,
        )


Services311 = RootModel[list[Service311]]
"""GeoReport v2 answers a list, even of one: these wrap the lists as one model each."""
Receipts311 = RootModel[list[Created311]]
Requests311 = RootModel[list[Request311]]


def services() -> list[Service311]:
    return [
        Service311(service_code=code.value, service_name=name, description=name)
        for code, name in NAMES.items()
    ]
