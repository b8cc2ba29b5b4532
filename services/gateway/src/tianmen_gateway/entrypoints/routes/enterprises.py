"""/api/v1/enterprises: registry's enterprises, with safety's ledger and credit's score."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tianmen_gateway.adapters.upstream import segment
from tianmen_gateway.entrypoints.deps import ResourceId, UpstreamsDep
from tianmen_gateway.entrypoints.schemas.enterprise_standing import (
    EnterpriseOverview,
    Ledger,
    Score,
)
from tianmen_gateway.entrypoints.schemas.problems import problems
from tianmen_gateway.entrypoints.schemas.registry import EnterpriseCreate, EnterpriseView
from tianmen_gateway.service_layer.compose import enterprise_overview

router = APIRouter(prefix="/api/v1/enterprises", tags=["enterprises"])
CycleYear = Annotated[
    int | None, Query(ge=2000, le=9999, description="Cycle year (default: the current one)")
]


@router.post(
    "",
    status_code=201,
    response_model=EnterpriseView,
    summary="Register an enterprise",
    responses=problems(409, 422),
)
async def register_enterprise(
    body: EnterpriseCreate, request: Request, upstreams: UpstreamsDep
) -> Response:
    return await upstreams.forward("registry", "POST", "/enterprises", content=await request.body())


@router.get(
    "/{enterprise_id}",
    response_model=EnterpriseOverview,
    summary="An enterprise with its safety points and credit score",
    responses=problems(404, 422),
)
async def get_enterprise(enterprise_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    return await enterprise_overview(upstreams, enterprise_id)


@router.get(
    "/{enterprise_id}/safety",
    response_model=Ledger,
    summary="An enterprise's safety-points ledger",
    responses=problems(404, 422),
)
async def get_safety_ledger(
    enterprise_id: ResourceId, upstreams: UpstreamsDep, year: CycleYear = None
) -> Response:
    params = {"year": str(year)} if year is not None else {}
    path = f"/enterprises/{segment(enterprise_id)}/ledger"
    return await upstreams.forward("safety", "GET", path, params=params)


@router.get(
    "/{enterprise_id}/credit",
    response_model=Score,
    summary="An enterprise's credit score with the reason for every change",
    responses=problems(404, 422),
)
async def get_credit_score(enterprise_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    return await upstreams.forward("credit", "GET", f"/enterprises/{segment(enterprise_id)}/score")
