"""/api/v1/enterprises/{id}: details, contacts (personal: owners and staff only), the file."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from tianmen_registry.entrypoints.schemas import (
    ChangeDetailsIn,
    ContactsIn,
    ContactsView,
    EnterpriseFile,
    EnterpriseView,
)

from tianmen_gateway.adapters.upstream import segment
from tianmen_gateway.entrypoints.deps import ResourceId, UpstreamsDep
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.entrypoints.routes import forward

router = APIRouter(prefix="/api/v1/enterprises/{enterprise_id}", tags=["enterprises"])


@router.patch(
    "",
    response_model=EnterpriseView,
    summary="Change an enterprise's name, address or jurisdiction",
    responses=problems(404, 422),
)
async def change_enterprise_details(
    enterprise_id: ResourceId, body: ChangeDetailsIn, request: Request, upstreams: UpstreamsDep
) -> Response:
    path = f"/enterprises/{segment(enterprise_id)}"
    return await forward.command(upstreams, "PATCH", path, EnterpriseView, request)


@router.get(
    "/contacts",
    response_model=ContactsView,
    summary="The enterprise's legal representative, safety officer and contacts (personal)",
    responses=problems(404, 422),
)
async def get_enterprise_contacts(enterprise_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    return await forward.read(
        upstreams, f"/enterprises/{segment(enterprise_id)}/contacts", ContactsView
    )


@router.put(
    "/contacts",
    response_model=ContactsView,
    summary="Replace the enterprise's contacts",
    responses=problems(404, 422),
)
async def change_enterprise_contacts(
    enterprise_id: ResourceId, body: ContactsIn, request: Request, upstreams: UpstreamsDep
) -> Response:
    path = f"/enterprises/{segment(enterprise_id)}/contacts"
    return await forward.command(upstreams, "PUT", path, ContactsView, request)


@router.get(
    "/file",
    response_model=EnterpriseFile,
    summary="The enterprise's file: its details, machines by status, recent applications",
    responses=problems(404, 422),
)
async def get_enterprise_file(enterprise_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    return await forward.read(
        upstreams, f"/enterprises/{segment(enterprise_id)}/file", EnterpriseFile
    )
