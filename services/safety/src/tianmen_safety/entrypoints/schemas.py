"""The HTTP contract of safety's queries (docs/service-contracts.md, safety); the gateway uses it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ViolationView(BaseModel):
    violation_id: str
    event_id: str
    machine_id: str | None
    code: str
    description: str
    occurred_at: datetime
    points: int
    source_event_id: str = Field(description="The event (alert, tip, inspection) that caused it")
    source_event_type: str
    rule_version: str


class DeductionView(BaseModel):
    event_id: str
    violation_id: str
    points: int
    balance_after: int
    time: datetime
    rule_version: str


class LedgerView(BaseModel):
    """One cycle's standing; the violations and deductions behind it are paged lists."""

    enterprise_id: str
    cycle_year: int
    initial_points: int
    balance: int
    bidding_suspended: bool
    key_supervision: bool
    rule_version: str
    violation_count: int = Field(description="Violations recorded in the cycle")
    deduction_count: int = Field(description="Deductions recorded in the cycle")
