"""The registry's request bodies (and the contacts view), beside `schemas` which re-exports
them: the gateway imports the registry's contract from `schemas` alone."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, Field, StrictFloat, StringConstraints
from tianmen_events.registry import ApplicationKind, Contact, Hours, ZoneKind

from tianmen_registry.domain.machine_attributes import MAX_TANK_LITRES

Text = Annotated[str, StringConstraints(max_length=500)]


class AttachmentRef(BaseModel):
    attachment_id: str
    type: str = Field(
        description="purchase_invoice, certificate_of_conformity, inspection_report, …"
    )


class SubmitIn(BaseModel):
    request_id: str = Field(
        min_length=1, max_length=64, description="The client's key: resubmitting it is a no-op"
    )
    kind: ApplicationKind
    enterprise_id: str
    machine_id: str
    attachments: list[AttachmentRef] = Field(default=[], max_length=20)
    details: dict[str, Any] = {}
    actor: str | None = None


class DecisionIn(BaseModel):
    reason: str = Field(default="", max_length=500)
    actor: str | None = None


class SweepIn(BaseModel):
    as_of: AwareDatetime = Field(
        description="The time the sweep judges by: the events' time; not after now"
    )


class SuspensionIn(BaseModel):
    suspended: bool
    reason: str = Field(default="", max_length=500)
    order_id: str = Field(default="", max_length=64)
    actor: str | None = None


class MortgageIn(BaseModel):
    lender: str = Field(min_length=1, max_length=200)
    amount_yuan: int
    starts_on: date
    ends_on: date
    actor: str | None = None


class ConsentIn(BaseModel):
    to_enterprise_id: str = Field(min_length=1, max_length=64)
    actor: str | None = None


class SiteIn(BaseModel):
    enterprise_id: str
    name: str = Field(max_length=200)
    boundary: dict[str, Any] = Field(description="GeoJSON Polygon, WGS-84 [longitude, latitude]")
    jurisdiction_code: str = Field(default="", description="Empty: the township holding the site")
    permitted_hours: list[Hours] = Field(default=[Hours(start="06:00", end="22:00")], max_length=4)
    actor: str | None = None


class PermitIn(BaseModel):
    hours: Hours
    valid_from: datetime
    valid_until: datetime
    reason: str = Field(max_length=500)
    actor: str | None = None


class ZoneIn(BaseModel):
    name: str = Field(max_length=200)
    kind: ZoneKind
    boundary: dict[str, Any]
    jurisdiction_code: str
    actor: str | None = None


class FuelTankIn(BaseModel):
    """A machine's fuel tank amended: above 0, at most 15,000 litres, as at registration."""

    fuel_tank_litres: StrictFloat = Field(
        gt=0,
        le=MAX_TANK_LITRES,
        description="The capacity in litres: telemetry levels a JT/T 808 terminal's litres "
        "with it from the amendment on",
    )
    actor: str | None = None


class MaintenanceIn(BaseModel):
    performed_on: date
    kind: str = Field(max_length=50)
    provider: str = Field(max_length=200)
    note: str = Field(default="", max_length=500)
    actor: str | None = None


class ChangeDetailsIn(BaseModel):
    name: Text | None = None
    address: Text | None = None
    jurisdiction_code: Text | None = None
    actor: str | None = None


class ContactsIn(BaseModel):
    contacts: list[Contact] = Field(max_length=20)
    actor: str | None = None


class ContactsView(BaseModel):
    enterprise_id: str
    contacts: list[Contact]
