"""The HTTP contract of hazards and orders (docs/service-contracts.md, safety)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field
from tianmen_events.registry.machines import MachineKind

Id = Field(min_length=1, max_length=64)
IN_SCOPE = (
    "The machine's kind; required under a campaign, whose scope (jurisdictions, kinds, period)"
    " a filing must fall in (422 naming the field otherwise)"
)


class HazardIn(BaseModel):
    enterprise_id: str = Id
    machine_id: str = Id
    severity: Literal["minor", "serious", "grave"]
    major: bool = Field(description="A major hazard by the national criteria: stop-use only")
    description: str = Field(min_length=1, max_length=400)
    found_at: AwareDatetime
    order: Literal["rectify", "stop_use"]
    due_at: AwareDatetime | None = Field(default=None, description="Rectify by (rectify only)")
    jurisdiction: str | None = Field(default=None, max_length=64)
    campaign_id: str | None = Field(default=None, max_length=64)
    inspection_id: str | None = Field(default=None, max_length=64)
    machine_kind: MachineKind | None = Field(default=None, description=IN_SCOPE)


class ReinspectionIn(BaseModel):
    passed: bool
    note: str = Field(default="", max_length=500)


class OrderAccepted(BaseModel):
    """On the enterprise's docket; the order shows it once the desk has applied it."""

    order_id: str
    event_id: str
    event_type: str
    actor: str
    at: datetime


class OrderView(BaseModel):
    order_id: str
    hazard_id: str
    enterprise_id: str
    machine_id: str
    jurisdiction: str | None
    severity: str
    major: bool
    description: str
    kind: str = Field(description="rectify or stop_use")
    state: str = Field(description="open, overdue (a rectification past its deadline), closed")
    found_at: datetime
    due_at: datetime | None
    closed_at: datetime | None
    overdue: bool = Field(description="It ran past its deadline (even if closed since)")
    campaign_id: str | None
    inspection_id: str | None
    ordered_by: str
    closed_by: str | None
