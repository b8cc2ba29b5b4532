"""/api/v1/inspections, /campaigns, /accidents (safety): an enterprise files its own
self-inspections, staff their spot checks, third-party test results and accidents for the
enterprises in their scope, a testing agency its own tests (any jurisdiction); the city
launches campaigns. Readers see the inspections and accidents of their jurisdiction, an
enterprise its own, an agency the tests it filed; the figures are for staff."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import AwareDatetime, BaseModel
from tianmen_runtime.pages import Page
from tianmen_safety.entrypoints.schemas import (
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

from tianmen_gateway.adapters.upstream import segment
from tianmen_gateway.entrypoints.deps import OptionalId, Paging, ResourceId, UpstreamsDep, given
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.identity.agency import own_tests, sees_inspection_view
from tianmen_gateway.identity.enforce import VisibilityDep
from tianmen_gateway.identity.scope import Visibility
from tianmen_gateway.service_layer.scoped import own_enterprise, visible_page

router = APIRouter(prefix="/api/v1", tags=["inspections"])
FILED: dict[str, Any] = {"status_code": 202, "response_model": Filed}
FILED["responses"] = problems(409, 422)


async def _file(upstreams: UpstreamsDep, path: str, body: BaseModel) -> Response:
    content = body.model_dump_json().encode()
    return await upstreams.fetch("safety", "POST", path, Filed, content=content)


@router.post("/inspections/self", summary="An enterprise's self-inspection (two a year)", **FILED)
async def file_self_inspection(body: SelfInspectionIn, upstreams: UpstreamsDep) -> Response:
    return await _file(upstreams, "/inspections/self", body)


@router.post(
    "/inspections/spot-checks", summary="A joint spot check, a finding per machine", **FILED
)
async def file_spot_check(body: SpotCheckIn, upstreams: UpstreamsDep) -> Response:
    return await _file(upstreams, "/inspections/spot-checks", body)


@router.post(
    "/inspections/third-party-tests",
    summary="An accredited agency's test of a hoisting machine (its expiry reaches telemetry)",
    **FILED,
)
async def file_third_party_test(body: ThirdPartyTestIn, upstreams: UpstreamsDep) -> Response:
    return await _file(upstreams, "/inspections/third-party-tests", body)


@router.post("/campaigns", summary="Launch a campaign: scope, period, checklist", **FILED)
async def launch_campaign(body: CampaignIn, upstreams: UpstreamsDep) -> Response:
    return await _file(upstreams, "/campaigns", body)


@router.post("/accidents", summary="An accident: machine, grade, casualties", **FILED)
async def record_accident(body: AccidentIn, upstreams: UpstreamsDep) -> Response:
    return await _file(upstreams, "/accidents", body)


async def _visible(seen: Visibility, jurisdiction: str | None, enterprise_id: str) -> bool:
    return seen.sees_division(jurisdiction) or await seen.sees_enterprise(enterprise_id)


@router.get(
    "/inspections",
    response_model=Page[InspectionView],
    summary="Inspections of all three kinds by when they took place",
    responses=problems(422),
)
async def list_inspections(
    upstreams: UpstreamsDep,
    seen: VisibilityDep,
    page: Paging,
    kind: Literal["self", "spot_check", "third_party"] | None = None,
    enterprise_id: OptionalId = None,
    campaign_id: OptionalId = None,
    machine_id: OptionalId = None,
) -> Response:
    asked = given(kind=kind, enterprise_id=enterprise_id, campaign_id=campaign_id)
    asked |= given(machine_id=machine_id)

    async def keep(found: InspectionView) -> bool:
        return await sees_inspection_view(seen, found)

    params = own_tests(seen, own_enterprise(seen, {**asked, **page}))
    return await visible_page(upstreams, "safety", "/inspections", InspectionView, params, keep)


@router.get(
    "/inspections/{inspection_id}",
    response_model=InspectionView,
    summary="One inspection or third-party test",
    responses=problems(404, 422),
)
async def get_inspection(inspection_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    """Staff and readers see it in their jurisdiction, an enterprise its own, a testing agency
    the tests it filed; anything else is 404, as if missing."""
    path = f"/inspections/{segment(inspection_id)}"
    return await upstreams.fetch("safety", "GET", path, InspectionView)


@router.get(
    "/accidents",
    response_model=Page[AccidentView],
    summary="Accidents by when they happened",
    responses=problems(422),
)
async def list_accidents(
    upstreams: UpstreamsDep, seen: VisibilityDep, page: Paging, enterprise_id: OptionalId = None
) -> Response:
    async def keep(found: AccidentView) -> bool:
        return await _visible(seen, found.jurisdiction, found.enterprise_id)

    params = own_enterprise(seen, {**given(enterprise_id=enterprise_id), **page})
    return await visible_page(upstreams, "safety", "/accidents", AccidentView, params, keep)


@router.get(
    "/accident-stats",
    response_model=AccidentStatsView,
    summary="Accidents in [start, end) and in the same period a year earlier",
    responses=problems(422),
)
async def get_accident_statistics(
    upstreams: UpstreamsDep, start: AwareDatetime | None = None, end: AwareDatetime | None = None
) -> Response:
    """By default the year so far (Asia/Shanghai)."""
    params = {k: v.isoformat() for k, v in (("start", start), ("end", end)) if v is not None}
    return await upstreams.fetch(
        "safety", "GET", "/accident-stats", AccidentStatsView, params=params
    )


@router.get(
    "/campaigns",
    response_model=Page[CampaignView],
    summary="Campaigns by start, each with its checklist",
    responses=problems(422),
)
async def list_campaigns(upstreams: UpstreamsDep, page: Paging) -> Response:
    return await upstreams.fetch("safety", "GET", "/campaigns", Page[CampaignView], params=page)


@router.get(
    "/campaigns/{campaign_id}",
    response_model=CampaignView,
    summary="A campaign: scope, period, checklist",
    responses=problems(404, 422),
)
async def get_campaign(campaign_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    path = f"/campaigns/{segment(campaign_id)}"
    return await upstreams.fetch("safety", "GET", path, CampaignView)


@router.get(
    "/campaigns/{campaign_id}/report",
    response_model=CampaignReportView,
    summary="Machines checked, hazards by severity, stop-use orders, rectified on time",
    responses=problems(404, 422),
)
async def get_campaign_report(campaign_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    path = f"/campaigns/{segment(campaign_id)}/report"
    return await upstreams.fetch("safety", "GET", path, CampaignReportView)
