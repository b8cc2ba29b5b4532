"""Answers the fake services give, each built by the owning service's own contract."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from pydantic import BaseModel
from tianmen_credit.entrypoints.audit_schemas import (
    AsOfView,
    ContributionView,
    RepairView,
    StandingView,
    WhatIfView,
)
from tianmen_credit.entrypoints.schemas import ChangeView, ReasonView, ScoreView
from tianmen_events.registry import MachineKind
from tianmen_events.reports import TipCategory
from tianmen_events.telemetry import AlertRaised
from tianmen_registry.domain.uscc import with_check_character
from tianmen_registry.entrypoints.schemas import EnterpriseView, MachineView
from tianmen_reports.entrypoints.schemas import (
    Created311,
    Location,
    Request311,
    Service311,
    TipReceipt,
    TipView,
)
from tianmen_reports.entrypoints.schemas.staff import NearbyMachineView
from tianmen_safety.entrypoints.schemas import (
    CaseView,
    DecisionAccepted,
    DeductionView,
    LedgerView,
    ListingView,
    RestorationView,
    ViolationView,
)
from tianmen_telemetry.entrypoints.schemas import Accepted, TerminalView
from tianmen_telemetry.entrypoints.views import (
    AempSnapshot,
    DayUsageView,
    Equipment,
    EquipmentHeader,
    Fleet,
    JurisdictionTerminals,
    MachineUsage,
    TerminalCounts,
    TrackPoint,
)

CST = timezone(timedelta(hours=8))
NIGHT = datetime(2026, 5, 11, 23, 30, tzinfo=CST)
USCC = with_check_character("91429006MA4F0X12")


def body(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


def shape(view: Any) -> Any:
    """The keys at every level and the length of every list: what grows if a list is embedded."""
    if isinstance(view, dict):
        return {key: shape(value) for key, value in view.items()}
    if isinstance(view, list):
        return [shape(item) for item in view]
    return None


def page(*items: BaseModel, next_cursor: str | None = None) -> dict[str, Any]:
    return {"items": [body(item) for item in items], "next_cursor": next_cursor}


ENTERPRISE = EnterpriseView(
    enterprise_id="e-1",
    uscc=USCC,
    name="天门市宏达建设有限公司",
    division_code="429006",
    address="天门市竟陵街道",
    jurisdiction_code="429006",
)
MACHINE = MachineView(
    machine_id="m-1",
    enterprise_id="e-1",
    kind=MachineKind.EXCAVATOR,
    brand="三一",
    model="SY215C",
    serial_number="SY0001",
    terminal_id="13912345678",
    jurisdiction_code="429006",
    high_risk=False,
    engine_number="",
    manufacture_date=None,
    rated_power_kw=None,
    emission_stage=None,
    power_type=None,
    environmental_code="",
    crane_filing_number="",
    status="registered",
    registration_number=None,
    next_review_due=None,
    pledged=False,
)
TERMINAL = TerminalView(
    terminal_id="13912345678",
    machine_id="m-1",
    enterprise_id="e-1",
    last_report_at=NIGHT.astimezone(UTC),
    latitude=30.66,
    longitude=113.17,
    working=True,
)
ALERT = AlertRaised(
    alert_id="a-1",
    enterprise_id="e-1",
    machine_id="m-1",
    terminal_id="13912345678",
    rule="night_work",
    rule_version="night-work/1",
    observed_at=NIGHT,
    latitude=30.66,
    longitude=113.17,
    detail="working at 23:30",
)
LEDGER = LedgerView(
    enterprise_id="e-1",
    cycle_year=2026,
    initial_points=100,
    balance=95,
    bidding_suspended=False,
    key_supervision=False,
    rule_version="safety-points/2026.1",
    warning_level="normal",
    violation_count=1,
    deduction_count=1,
)
VIOLATION = ViolationView(
    violation_id="v-1",
    event_id="ev-1",
    machine_id="m-1",
    code="night_work_without_permit",
    description="夜间违规作业",
    occurred_at=NIGHT,
    points=5,
    source_event_id="a-1",
    source_event_type="tianmen.telemetry.alert_raised",
    rule_version="safety-points/2026.1",
)
DEDUCTION = DeductionView(
    event_id="ev-2",
    violation_id="v-1",
    points=5,
    balance_after=95,
    time=NIGHT,
    rule_version="safety-points/2026.1",
)
RESTORATION = RestorationView(
    event_id="ev-4",
    violation_id="v-1",
    points=5,
    balance_after=100,
    reason="the permit was on file",
    time=NIGHT,
    rule_version="safety-points/2026.1",
)
CASE = CaseView(
    case_id="case-in",
    enterprise_id="e-in",
    violation_id="v-2",
    machine_id="m-in",
    code="continuous_work_beyond_limit",
    severity="minor",
    jurisdiction="429006100",
    tier="township",
    state="open",
    occurred_at=NIGHT,
    opened_at=NIGHT,
    due_at=NIGHT + timedelta(hours=24),
    escalations=0,
    acknowledged_by=None,
    decided_by=None,
    decided_at=None,
    reason=None,
    source_event_id="a-in",
    source_event_type="tianmen.telemetry.alert_raised",
    rule_version="safety-cases/2026.1",
)
LISTING = ListingView(
    event_id="ev-6",
    enterprise_id="e-in",
    cycle_year=2026,
    balance=0,
    listed_at=NIGHT,
    ends_at=datetime(2027, 1, 1, tzinfo=CST),
    lifted_at=None,
    rule_version="safety-points/2026.1",
)
DECIDED = DecisionAccepted(
    case_id="case-in",
    event_id="ev-5",
    event_type="tianmen.safety.case_confirmed",
    actor="township",
    at=NIGHT,
)
CHANGE = ChangeView(
    event_id="ev-3",
    time=NIGHT,
    score_before=100,
    score=90,
    grade_before="A",
    grade="A",
    model_version="credit/2026.1",
    reasons=[ReasonView(event_id="ev-1", event_type="violation", description="d", delta=-10)],
)
SCORE = ScoreView(
    enterprise_id="e-1",
    score=90,
    grade="A",
    procurement_restricted=False,
    model_version="credit/2026.1",
    change_count=1,
    latest_change=CHANGE,
)
CONTRIBUTION = ContributionView(
    event_id="ev-1",
    kind="violation",
    effect=-10,
    at=NIGHT,
    expires_at=NIGHT,
    in_force=True,
    zh="违法违规行为扣分",
    en="deduction for a violation",
    code="night_work_without_permit",
    repaired_by="",
)
STANDING = StandingView(
    enterprise_id="e-1",
    at=NIGHT,
    score=90,
    grade="A",
    procurement_restricted=False,
    model_version="credit/2026.2",
    base_score=100,
    contributions=[CONTRIBUTION],
)
AS_OF = AsOfView(at=NIGHT, known_at=NIGHT, known_then=STANDING, now_known=STANDING, late=[])
WHAT_IF = WhatIfView(
    current_model="credit/2026.2", candidate_model="c", at=NIGHT, events=1, changes=[]
)
REPAIR = RepairView(
    repair_id="rep-1",
    enterprise_id="e-1",
    target_event_id="ev-1",
    status="pending",
    evidence=["media-1"],
)
ACCEPTED = Accepted(accepted=1)
RECEIPT = TipReceipt(tip_id="tip-1", status="submitted", submitted_at=NIGHT)
NEARBY = NearbyMachineView(
    machine_id="m-in",
    enterprise_id="e-in",
    closest_m=42.5,
    closest_at=NIGHT,
    points=3,
    working=True,
)

TIP = TipView(
    tip_id="tip-1",
    category=TipCategory.NIGHT_WORK,
    description="夜间施工",
    location=Location(latitude=30.66, longitude=113.17),
    status="submitted",
    submitted_at=NIGHT,
)

TIP_IN = {
    "category": "night_work",
    "description": "夜间施工",
    "latitude": 30.66,
    "longitude": 113.17,
    "anonymous": True,
}
"""A tip as a citizen submits it."""

SERVICE_311 = Service311(
    service_code="night_work", service_name="夜间施工 Night work", description="夜间施工"
)
CREATED_311 = Created311(service_request_id="tip-1")
REQUEST_311 = Request311(
    service_request_id="tip-1",
    status="open",
    status_notes="submitted",
    service_name="夜间施工 Night work",
    service_code="night_work",
    description="夜间施工",
    requested_datetime=NIGHT,
    updated_datetime=NIGHT,
    lat=30.66,
    long=113.17,
    media_url=None,
)
REQUEST_311_IN = {
    "service_code": "night_work",
    "lat": "30.66",
    "long": "113.17",
    "description": "夜间施工",
}
"""A GeoReport v2 request as a client posts it (form fields)."""

TRACK_POINT = TrackPoint(
    report_id="r-1",
    reported_at=NIGHT,
    latitude=30.66,
    longitude=113.17,
    working=True,
    engine_hours=None,
    fuel_level_pct=None,
)
MACHINE_USAGE = MachineUsage(
    machine_id="m-in",
    from_=NIGHT.date(),
    to=NIGHT.date(),
    days=[
        DayUsageView(
            day=NIGHT.date(),
            operating_hours=2.5,
            idle_hours=0.5,
            fuel_used_pct=12.0,
            windows=1,
            longest_window_hours=2.0,
        )
    ],
)
FLEET = AempSnapshot(
    fleet=Fleet(
        snapshot_time=NIGHT,
        equipment=[Equipment(header=EquipmentHeader(equipment_id="m-in"))],
    )
)
TERMINAL_COUNTS = TerminalCounts(
    as_of=NIGHT,
    online_window_s=600,
    jurisdictions=[
        JurisdictionTerminals(jurisdiction="429006001", online=1, offline=0),
        JurisdictionTerminals(jurisdiction="420102", online=0, offline=1),
    ],
)
