"""/api/v1/enterprises: registry's enterprises, with safety's and credit's summaries."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from tianmen_registry.entrypoints.schemas import EnterpriseView, RegisterEnterpriseIn
from tianmen_runtime.pages import Page

from tianmen_gateway.entrypoints.deps import OnceDep, Paging, ResourceId, UpstreamsDep
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.entrypoints.schemas.composed import EnterpriseOverview
from tianmen_gateway.identity.enforce import VisibilityDep
from tianmen_gateway.service_layer.compose import enterprise_overview
from tianmen_gateway.service_layer.scoped import visible_page

router = APIRouter(prefix="/api/v1/enterprises", tags=["enterprises"])


@router.post(
    "",
    status_code=201,
    response_model=EnterpriseView,
    summary="Register an enterprise",
    responses=problems(409, 422),
)
async def register_enterprise(
    body: RegisterEnterpriseIn, request: Request, upstreams: UpstreamsDep, once: OnceDep
) -> Response:
    content = await request.body()
    return await once(
        content,
        lambda: upstreams.fetch(
            "registry", "POST", "/enterprises", EnterpriseView, content=content
        ),
    )


@router.get(
    "",
    response_model=Page[EnterpriseView],
    summary="The enterprises the caller may see, by id, a page at a time (a page may be short)",
    responses=problems(422),
)
async def list_enterprises(upstreams: UpstreamsDep, seen: VisibilityDep, page: Paging) -> Response:
    return await visible_page(
        upstreams, "registry", "/enterprises", EnterpriseView, page, seen.sees_view
    )


@router.get(
    "/{enterprise_id}",
    response_model=EnterpriseOverview,
    summary="An enterprise with its safety and credit summaries and links to their lists",
    responses=problems(404, 422),
)
async def get_enterprise(enterprise_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    return await enterprise_overview(upstreams, enterprise_id)
