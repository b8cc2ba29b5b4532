"""Safety's inspections, campaigns and accidents in the gateway's test world: an inspection
and an accident per enterprise, in its division, one campaign, and what the matrix test sends
to file each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from tianmen_safety.entrypoints.schemas import (
    AccidentStatsView,
    AccidentView,
    CampaignReportView,
    CampaignView,
    Filed,
    InspectionView,
)

from .contracts import NIGHT

AT = NIGHT.isoformat()
FILED = Filed(id="x-1", event_id="ev-10", event_type="tianmen.safety.x", actor="city", at=NIGHT)
CAMPAIGN = CampaignView(
    campaign_id="camp-1",
    title="Hoisting machinery drive",
    jurisdictions=["429006"],
    categories=["tower_crane"],
    starts_at=NIGHT,
    ends_at=NIGHT,
    checklist_version="hoisting-major-hazards/2022",
    checklist=[],
    launched_by="city",
)
REPORT = CampaignReportView(
    campaign_id="camp-1",
    machines_checked=37,
    hazards=40,
    hazards_by_severity={"grave": 6, "serious": 34},
    hazard_machines=37,
    major_hazard_machines=6,
    stop_use_orders=6,
    rectified_on_time=30,
    rectified_late=4,
    open_orders=6,
    key_supervision_enterprises=45,
)
STATS = AccidentStatsView(start=NIGHT, end=NIGHT, count=31, previous_count=50, change=-0.38)
OBJECTS = {
    "in": {"campaign_id": "camp-1", "inspection_id": "insp-in"},
    "out": {"campaign_id": "camp-1", "inspection_id": "insp-far"},
}
AGENCIES = {"e-in": "lab-1"}
"""Who tested each enterprise's machine: the demo agency lab-1 the one in scope, another the rest."""
SELF = {"inspected_at": AT, "machine_ids": ["m-in"]}
SPOT = {
    "inspected_at": AT,
    "departments": ["transport"],
    "findings": [{"machine_id": "m-in", "passed": True}],
}
TEST = {
    "machine_id": "m-in",
    "agency": "lab-1",
    "passed": True,
    "certificate_number": "TC-1",
    "tested_at": AT,
    "valid_until": "2027-05-11T23:30:00+08:00",
}
ACCIDENT = {
    "machine_id": "m-in",
    "occurred_at": AT,
    "severity": "general",
    "deaths": 0,
    "injuries": 1,
    "description": "load swung into the scaffold",
}


def _in_and_out(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {"in": {**body, "enterprise_id": "e-in"}, "out": {**body, "enterprise_id": "e-far"}}


BODIES: dict[str, dict[str, Any]] = {
    "file_self_inspection": _in_and_out(SELF),
    "file_spot_check": _in_and_out(SPOT),
    "file_third_party_test": _in_and_out(TEST),
    "record_accident": _in_and_out(ACCIDENT),
    "launch_campaign": {
        "in": {
            "title": "Hoisting machinery drive",
            "jurisdictions": ["429006"],
            "categories": ["tower_crane"],
            "starts_at": AT,
            "ends_at": "2026-08-01T00:00:00+08:00",
        }
    },
}


def inspection(eid: str, division: str) -> dict[str, Any]:
    """A third-party test of the enterprise's machine, in its division."""
    suffix = eid.removeprefix("e-")
    return InspectionView(
        inspection_id=f"insp-{suffix}",
        kind="third_party",
        enterprise_id=eid,
        inspected_at=NIGHT,
        jurisdiction=division,
        campaign_id="camp-1",
        departments=[],
        findings=[],
        note="",
        machine_id=f"m-{suffix}",
        agency=AGENCIES.get(eid, "lab-2"),
        passed=True,
        certificate_number=f"TC-{suffix}",
        valid_until=NIGHT,
        state="valid",
        recorded_by="township",
    ).model_dump(mode="json")


def accident(eid: str, division: str) -> dict[str, Any]:
    suffix = eid.removeprefix("e-")
    return AccidentView(
        accident_id=f"acc-{suffix}",
        enterprise_id=eid,
        machine_id=f"m-{suffix}",
        jurisdiction=division,
        occurred_at=NIGHT,
        severity="general",
        deaths=0,
        injuries=1,
        description="load swung into the scaffold",
        recorded_by="township",
    ).model_dump(mode="json")


def populate(fakes: Any, divisions: dict[str, str], page: Callable[..., Any]) -> None:
    tests = [inspection(e, d) for e, d in divisions.items()]
    fakes.answer("safety", "GET", "/inspections", page(tests))
    for test in tests:
        fakes.answer("safety", "GET", f"/inspections/{test['inspection_id']}", test)
    fakes.answer(
        "safety", "GET", "/accidents", page([accident(e, d) for e, d in divisions.items()])
    )
    fakes.answer("safety", "GET", "/accident-stats", STATS.model_dump(mode="json"))
    fakes.answer("safety", "GET", "/campaigns", page([CAMPAIGN.model_dump(mode="json")]))
    fakes.answer("safety", "GET", "/campaigns/camp-1", CAMPAIGN.model_dump(mode="json"))
    fakes.answer("safety", "GET", "/campaigns/camp-1/report", REPORT.model_dump(mode="json"))
    filed = httpx.Response(202, json=FILED.model_dump(mode="json"))
    for path in ("/inspections/self", "/inspections/spot-checks", "/inspections/third-party-tests"):
        fakes.answer("safety", "POST", path, filed)
    fakes.answer("safety", "POST", "/campaigns", filed)
    fakes.answer("safety", "POST", "/accidents", filed)
