"""The HTTP contract of safety's queries (docs/service-contracts.md, safety); the gateway uses it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from tianmen_safety.entrypoints.inspection_schemas import (
    AccidentIn,
    AccidentStatsView,
    AccidentView,
    CampaignIn,
    CampaignReportView,
    CampaignView,
    Filed,
    InspectionView,
    SelfInspectionIn,
    SpotCheckIn,
    ThirdPartyTestIn,
)
from tianmen_safety.entrypoints.order_schemas import (
    HazardIn,
    OrderAccepted,
    OrderView,
    ReinspectionIn,
)


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
    warning_level: str = Field(
        description="normal, warning (≤ 80), bidding_suspension (≤ 60) or key_supervision (0)"
    )
    violation_count: int = Field(description="Violations recorded in the cycle")
    deduction_count: int = Field(description="Deductions recorded in the cycle")


class RestorationView(BaseModel):
    event_id: str
    violation_id: str
    points: int
    balance_after: int
    reason: str
    time: datetime
    rule_version: str


class CaseView(BaseModel):
    """A case on the desk: whose, what it would count as, who holds it, what was decided."""

    case_id: str
    enterprise_id: str
    violation_id: str = Field(description="The violation it is (or would be) recorded as")
    machine_id: str | None
    code: str
    severity: str
    jurisdiction: str | None
    tier: str = Field(description="township, station or city: the tier that holds it")
    state: str = Field(description="open, acknowledged, confirmed, dismissed or revoked")
    occurred_at: datetime
    opened_at: datetime
    due_at: datetime | None = Field(description="Escalates to the next tier if still pending")
    escalations: int
    acknowledged_by: str | None
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None
    source_event_id: str
    source_event_type: str
    rule_version: str


class CaseDecisionIn(BaseModel):
    reason: str = Field(default="", max_length=500, description="Required to dismiss or revoke")


class DecisionAccepted(BaseModel):
    """The decision is on the case's docket; the case shows it once the desk has applied it."""

    case_id: str
    event_id: str
    event_type: str
    actor: str
    at: datetime


class ListingView(BaseModel):
    """An enterprise on a list: since when, for which cycle, at what balance."""

    event_id: str = Field(description="The safety event that listed it")
    enterprise_id: str
    cycle_year: int
    balance: int
    listed_at: datetime
    ends_at: datetime = Field(description="The cycle's end, when the listing lapses")
    lifted_at: datetime | None
    rule_version: str


__all__ = [
    "AccidentIn",
    "AccidentStatsView",
    "AccidentView",
    "CampaignIn",
    "CampaignReportView",
    "CampaignView",
    "CaseDecisionIn",
    "CaseView",
    "DecisionAccepted",
    "DeductionView",
    "Filed",
    "HazardIn",
    "InspectionView",
    "LedgerView",
    "ListingView",
    "OrderAccepted",
    "OrderView",
    "ReinspectionIn",
    "RestorationView",
    "SelfInspectionIn",
    "SpotCheckIn",
    "ThirdPartyTestIn",
    "ViolationView",
]
