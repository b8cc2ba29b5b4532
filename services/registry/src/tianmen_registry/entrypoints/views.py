"""What the registry's queries and counter answer (docs/service-contracts.md); the gateway
publishes the same models, so its OpenAPI cannot drift from the registry's."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field, RootModel
from tianmen_events.registry import (
    ApplicationKind,
    EmissionStage,
    Hours,
    MachineKind,
    PowerType,
)


class EnterpriseView(BaseModel):
    enterprise_id: str
    uscc: str
    name: str
    division_code: str = Field(description="6-digit administrative division code (GB/T 2260)")
    address: str
    jurisdiction_code: str


class MachineView(BaseModel):
    machine_id: str
    enterprise_id: str
    kind: MachineKind
    brand: str
    model: str
    serial_number: str
    terminal_id: str | None
    jurisdiction_code: str
    high_risk: bool
    engine_number: str
    manufacture_date: date | None
    rated_power_kw: float | None
    emission_stage: EmissionStage | None
    power_type: PowerType | None
    environmental_code: str
    crane_filing_number: str
    fuel_tank_litres: float | None = None
    status: str = Field(description="pending, registered, suspended or deregistered")
    registration_number: str | None
    next_review_due: date | None
    pledged: bool


class TimelineEntry(BaseModel):
    stage: str = Field(description="submitted, accepted, approved, rejected, withdrawn, overdue")
    time: datetime
    actor: str | None
    reason: str | None


class ApplicationView(BaseModel):
    application_id: str
    kind: ApplicationKind
    enterprise_id: str
    machine_id: str
    jurisdiction_code: str
    stage: str
    submitted_at: datetime
    accepted_at: datetime | None
    due_at: datetime | None = Field(description="24:00 China time, 2nd working day after")
    due_provisional: bool = Field(description="the year's holidays were not yet known")
    decided_at: datetime | None
    overdue: bool
    reason: str | None
    handling_hours: float | None
    handling_working_days: int | None
    timeline: list[TimelineEntry]


class ApplicationSummary(BaseModel):
    application_id: str
    kind: ApplicationKind
    stage: str
    submitted_at: datetime


class HistoryEntry(BaseModel):
    sequence: int
    type: str
    time: datetime
    event: dict[str, Any]


class TerminalPeriod(BaseModel):
    machine_id: str
    sequence: int
    terminal_id: str
    action: str = Field(description="bound or unbound")
    at: datetime


class MortgageView(BaseModel):
    mortgage_id: str
    machine_id: str
    enterprise_id: str
    lender: str
    amount_yuan: int
    starts_on: date
    ends_on: date
    released: bool


class PledgeView(MortgageView):
    """A mortgage as its lender sees it: the pledge and the machine's status, nothing else."""

    machine_status: str
    registration_number: str | None


class MachineFile(BaseModel):
    machine: MachineView
    history: list[HistoryEntry]
    terminals: list[TerminalPeriod]
    mortgages: list[MortgageView]


class EnterpriseFile(BaseModel):
    enterprise: EnterpriseView
    machines_by_status: dict[str, int]
    recent_applications: list[ApplicationSummary]


class Verification(BaseModel):
    """What the QR code on the plate shows anyone: nothing personal."""

    registration_number: str
    kind: MachineKind
    brand: str
    model: str
    status: str
    next_review_due: date | None


class HandlingTime(BaseModel):
    kind: ApplicationKind
    period: str = Field(description="YYYY-MM or YYYY")
    decided: int
    average_working_days: float | None
    average_hours: float | None
    overdue: int


class MortgageTotal(BaseModel):
    lender: str
    year: str
    loans: int
    amount_yuan: int
    active: int


class Refusal(BaseModel):
    row: int
    column: str | None
    reason: str


class ImportReport(BaseModel):
    rows: int
    created: int
    unchanged: int
    refused: list[Refusal]


class Pledged(BaseModel):
    mortgage_id: str
    machine: MachineView


class StoredAttachment(BaseModel):
    attachment_id: str
    media_type: str


class Swept(BaseModel):
    flagged: int = Field(description="how many were newly flagged overdue (events appended)")


class SiteView(BaseModel):
    site_id: str
    enterprise_id: str
    name: str
    jurisdiction_code: str
    boundary: dict[str, Any] = Field(description="GeoJSON Polygon, WGS-84")
    permitted_hours: list[Hours]


class SiteRegistered(BaseModel):
    site_id: str


class PermitIssued(BaseModel):
    permit_id: str


class ZoneDeclared(BaseModel):
    zone_id: str


class MaintenanceRecord(BaseModel):
    machine_id: str
    sequence: int
    performed_on: date
    kind: str
    provider: str
    note: str


class HandlingTimes(RootModel[list[HandlingTime]]):
    """Per kind and period, oldest period first."""


class MortgageTotals(RootModel[list[MortgageTotal]]):
    """Per lender and the year loans start."""


class MaintenanceRecords(RootModel[list[MaintenanceRecord]]):
    """A machine's maintenance records, oldest first."""
