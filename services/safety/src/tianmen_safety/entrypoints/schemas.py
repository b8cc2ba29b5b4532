"""Response shapes of the query API (docs/service-contracts.md, safety)."""

from __future__ import annotations

from pydantic import BaseModel


class ViolationView(BaseModel):
    violation_id: str
    event_id: str
    machine_id: str | None
    code: str
    description: str
    occurred_at: str
    points: int
    source_event_id: str
    source_event_type: str
    rule_version: str


class DeductionView(BaseModel):
    event_id: str
    violation_id: str
    points: int
    balance_after: int
    time: str
    rule_version: str


class LedgerView(BaseModel):
    enterprise_id: str
    cycle_year: int
    initial_points: int
    balance: int
    bidding_suspended: bool
    key_supervision: bool
    rule_version: str
    violations: list[ViolationView]
    deductions: list[DeductionView]
