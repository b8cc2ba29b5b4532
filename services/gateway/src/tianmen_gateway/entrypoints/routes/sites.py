"""/api/v1/sites and /api/v1/restricted-zones: work sites, night-work permits, zones (registry)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from tianmen_registry.entrypoints.schemas import (
    PermitIn,
    PermitIssued,
    SiteIn,
    SiteRegistered,
    SiteView,
    ZoneDeclared,
    ZoneIn,
)

from tianmen_gateway.adapters.upstream import segment
from tianmen_gateway.entrypoints.deps import OnceDep, ResourceId, UpstreamsDep
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.entrypoints.routes import forward

router = APIRouter(prefix="/api/v1", tags=["sites"])


@router.post(
    "/sites",
    status_code=201,
    response_model=SiteRegistered,
    summary="Register a work site: its boundary (GeoJSON polygon, WGS-84) and permitted hours",
    responses=problems(409, 422),
)
async def register_site(
    body: SiteIn, request: Request, upstreams: UpstreamsDep, once: OnceDep
) -> Response:
    return await forward.command(upstreams, "POST", "/sites", SiteRegistered, request, once)


@router.get(
    "/sites/{site_id}",
    response_model=SiteView,
    summary="A work site",
    responses=problems(404, 422),
)
async def get_site(site_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    return await forward.read(upstreams, f"/sites/{segment(site_id)}", SiteView)


@router.post(
    "/sites/{site_id}/night-work-permits",
    status_code=201,
    response_model=PermitIssued,
    summary="Issue a night-work permit for a site (at most 90 days)",
    responses=problems(404, 422),
)
async def issue_night_work_permit(
    site_id: ResourceId, body: PermitIn, request: Request, upstreams: UpstreamsDep, once: OnceDep
) -> Response:
    path = f"/sites/{segment(site_id)}/night-work-permits"
    return await forward.command(upstreams, "POST", path, PermitIssued, request, once)


@router.post(
    "/restricted-zones",
    status_code=201,
    response_model=ZoneDeclared,
    summary="Declare a restricted zone (a school, a water source)",
    responses=problems(422),
)
async def declare_restricted_zone(
    body: ZoneIn, request: Request, upstreams: UpstreamsDep, once: OnceDep
) -> Response:
    return await forward.command(
        upstreams, "POST", "/restricted-zones", ZoneDeclared, request, once
    )
