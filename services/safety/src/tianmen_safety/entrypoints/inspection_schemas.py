"""The HTTP contract of inspections, campaigns and accidents (docs/service-contracts.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field
from tianmen_events.registry.machines import MachineKind
from tianmen_events.safety.inspections import AccidentSeverity, Department, SpotFinding

from tianmen_safety.entrypoints.order_schemas import IN_SCOPE

Id = Field(min_length=1, max_length=64)
Optional64 = Field(default=None, max_length=64)


class SelfInspectionIn(BaseModel):
    enterprise_id: str = Id
    inspected_at: AwareDatetime
    machine_ids: list[str] = Field(min_length=1, max_length=500)
    findings: str = Field(default="", max_length=2000)
    campaign_id: str | None = Optional64


class SpotCheckIn(BaseModel):
    enterprise_id: str = Id
    inspected_at: AwareDatetime
    departments: list[Department] = Field(min_length=1, max_length=3)
    findings: list[SpotFinding] = Field(min_length=1, max_length=500)
    jurisdiction: str | None = Optional64
    campaign_id: str | None = Optional64


class ThirdPartyTestIn(BaseModel):
    enterprise_id: str = Id
    machine_id: str = Id
    agency: str = Field(min_length=1, max_length=200)
    passed: bool
    certificate_number: str = Field(min_length=1, max_length=100)
    tested_at: AwareDatetime
    valid_until: AwareDatetime
    jurisdiction: str | None = Optional64
    campaign_id: str | None = Optional64
    machine_kind: MachineKind | None = Field(default=None, description=IN_SCOPE)


class CampaignIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    jurisdictions: list[str] = Field(min_length=1, max_length=100)
    categories: list[MachineKind] = Field(min_length=1)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    checklist_version: str = Field(default="hoisting-major-hazards/2022", max_length=64)


class AccidentIn(BaseModel):
    enterprise_id: str = Id
    machine_id: str = Id
    occurred_at: AwareDatetime
    severity: AccidentSeverity
    deaths: int = Field(ge=0, le=10000)
    injuries: int = Field(ge=0, le=10000)
    description: str = Field(min_length=1, max_length=1000)
    jurisdiction: str | None = Optional64


class Filed(BaseModel):
    """On the docket; it shows in the queries once the desk has applied it."""

    id: str = Field(description="The inspection, test, campaign or accident")
    event_id: str
    event_type: str
    actor: str
    at: datetime


class InspectionView(BaseModel):
    inspection_id: str
    kind: Literal["self", "spot_check", "third_party"]
    enterprise_id: str
    inspected_at: datetime
    jurisdiction: str | None
    campaign_id: str | None
    departments: list[str]
    findings: list[SpotFinding] = Field(description="A spot check's finding per machine")
    note: str = Field(description="A self-inspection's findings")
    machine_id: str | None = Field(description="A third-party test's machine")
    agency: str | None
    passed: bool | None
    certificate_number: str | None
    valid_until: datetime | None
    state: str | None = Field(description="A passed test: valid, superseded or expired")
    recorded_by: str


class ChecklistItemView(BaseModel):
    code: str
    zh: str
    en: str


class CampaignView(BaseModel):
    campaign_id: str
    title: str
    jurisdictions: list[str]
    categories: list[str]
    starts_at: datetime
    ends_at: datetime
    checklist_version: str
    checklist: list[ChecklistItemView]
    launched_by: str


class CampaignReportView(BaseModel):
    campaign_id: str
    machines_checked: int
    hazards: int
    hazards_by_severity: dict[str, int]
    hazard_machines: int = Field(description="Machines with at least one hazard found")
    major_hazard_machines: int = Field(description="Machines ordered out of use")
    stop_use_orders: int
    rectified_on_time: int
    rectified_late: int
    open_orders: int
    key_supervision_enterprises: int = Field(
        description="Enterprises it inspected or found hazards at that were put on the "
        "key-supervision list (points cleared) within its period"
    )


class AccidentView(BaseModel):
    accident_id: str
    enterprise_id: str
    machine_id: str
    jurisdiction: str | None
    occurred_at: datetime
    severity: AccidentSeverity
    deaths: int
    injuries: int
    description: str
    recorded_by: str


class AccidentStatsView(BaseModel):
    start: datetime
    end: datetime
    count: int
    previous_count: int = Field(description="The same period a year earlier")
    change: float | None = Field(description="(count - previous) / previous; null if none")
