"""The HTTP contract of the registry (docs/service-contracts.md, registry); the gateway uses it."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StringConstraints
from pydantic_core import PydanticCustomError
from tianmen_events.registry import (
    TERMINAL_ID_PATTERN,
    Contact,
    EmissionStage,
    MachineKind,
    PowerType,
)

from tianmen_registry.domain.uscc import InvalidUscc, validate_uscc


def _uscc(value: str) -> str:
    try:
        return validate_uscc(value)
    except InvalidUscc as exc:
        raise PydanticCustomError("uscc", "{reason}", {"reason": exc.detail}) from exc


def _text(max_length: int, min_length: int = 1) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


Uscc = Annotated[
    str,
    AfterValidator(_uscc),
    Field(
        description="Unified social credit code (GB 32100-2015)", examples=["914403001922038216"]
    ),
]
TerminalId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=TERMINAL_ID_PATTERN),
    Field(description="JT/T 808 terminal id (its phone number), 11-20 digits"),
]


JurisdictionCode = Annotated[
    str, _text(20), Field(description="Jurisdiction code (city, station or township)")
]


class RegisterEnterpriseIn(BaseModel):
    uscc: Uscc
    name: Annotated[str, _text(200)]
    address: Annotated[str, _text(500, min_length=0)] | None = None
    jurisdiction_code: JurisdictionCode | None = None
    contacts: list[Contact] = Field(default=[], max_length=20)
    actor: str | None = None


class RegisterMachineIn(BaseModel):
    enterprise_id: Annotated[str, _text(64)]
    kind: MachineKind
    brand: Annotated[str, _text(100)]
    model: Annotated[str, _text(100)]
    serial_number: Annotated[str, _text(100)]
    jurisdiction_code: JurisdictionCode | None = None
    engine_number: Annotated[str, _text(100, min_length=0)] = ""
    manufacture_date: date | None = None
    rated_power_kw: float | None = None
    emission_stage: EmissionStage | None = None
    power_type: PowerType | None = None
    environmental_code: Annotated[str, _text(100, min_length=0)] = ""
    crane_filing_number: Annotated[str, _text(100, min_length=0)] = ""
    fuel_tank_litres: float | None = Field(
        default=None,
        description="Fuel tank capacity in litres, above 0 and at most 15000: a JT/T 808 "
        "terminal reports litres, which the tank turns into the fuel level's percent",
    )
    actor: str | None = None


class BindTerminalIn(BaseModel):
    terminal_id: TerminalId


# The rest of the contract, defined beside this module and published from here.
from tianmen_registry.entrypoints.requests import (  # noqa: E402
    AttachmentRef,
    ChangeDetailsIn,
    ConsentIn,
    ContactsIn,
    ContactsView,
    DecisionIn,
    FuelTankIn,
    MaintenanceIn,
    MortgageIn,
    PermitIn,
    SiteIn,
    SubmitIn,
    SuspensionIn,
    SweepIn,
    ZoneIn,
)
from tianmen_registry.entrypoints.views import (  # noqa: E402
    ApplicationSummary,
    ApplicationView,
    EnterpriseFile,
    EnterpriseView,
    HandlingTime,
    HandlingTimes,
    HistoryEntry,
    ImportReport,
    MachineFile,
    MachineView,
    MaintenanceRecord,
    MaintenanceRecords,
    MortgageTotal,
    MortgageTotals,
    MortgageView,
    PermitIssued,
    Pledged,
    PledgeView,
    Refusal,
    SiteRegistered,
    SiteView,
    StoredAttachment,
    Swept,
    TerminalPeriod,
    TimelineEntry,
    Verification,
    ZoneDeclared,
)


class JurisdictionProperties(BaseModel):
    code: str
    name: str
    tier: str = Field(description="city, station or township")
    parent: str | None


class BoundaryPolygon(BaseModel):
    type: str = Field(default="Polygon", pattern="^Polygon$")
    coordinates: list[list[tuple[float, float]]] = Field(
        description="One closed ring of [longitude, latitude], WGS-84"
    )


class JurisdictionFeature(BaseModel):
    type: str = Field(default="Feature", pattern="^Feature$")
    geometry: BoundaryPolygon
    properties: JurisdictionProperties


class JurisdictionBoundaries(BaseModel):
    """The jurisdictions that have a boundary, as a GeoJSON FeatureCollection (RFC 7946)."""

    type: str = Field(default="FeatureCollection", pattern="^FeatureCollection$")
    features: list[JurisdictionFeature]


__all__ = [
    "ApplicationSummary",
    "ApplicationView",
    "AttachmentRef",
    "BindTerminalIn",
    "BoundaryPolygon",
    "ChangeDetailsIn",
    "ConsentIn",
    "ContactsIn",
    "ContactsView",
    "DecisionIn",
    "EnterpriseFile",
    "EnterpriseView",
    "FuelTankIn",
    "HandlingTime",
    "HandlingTimes",
    "HistoryEntry",
    "ImportReport",
    "JurisdictionBoundaries",
    "JurisdictionFeature",
    "JurisdictionProperties",
    "MachineFile",
    "MachineView",
    "MaintenanceIn",
    "MaintenanceRecord",
    "MaintenanceRecords",
    "MortgageIn",
    "MortgageTotal",
    "MortgageTotals",
    "MortgageView",
    "PermitIn",
    "PermitIssued",
    "PledgeView",
    "Pledged",
    "Refusal",
    "RegisterEnterpriseIn",
    "RegisterMachineIn",
    "SiteIn",
    "SiteRegistered",
    "SiteView",
    "StoredAttachment",
    "SubmitIn",
    "SuspensionIn",
    "SweepIn",
    "Swept",
    "TerminalPeriod",
    "TimelineEntry",
    "Verification",
    "ZoneDeclared",
    "ZoneIn",
]
