"""/api/v1 credit audit and repair: an enterprise's standing as known at a past moment, a
candidate model tried on history (auditors), and credit repair (apply, decide)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response
from pydantic import BaseModel
from tianmen_credit.entrypoints.schemas import (
    AsOfView,
    DecisionIn,
    RepairIn,
    RepairView,
    StandingView,
    WhatIfView,
)

from tianmen_gateway.adapters.upstream import Upstreams, segment
from tianmen_gateway.entrypoints.deps import OnceDep, ResourceId, UpstreamsDep, given
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.identity.principal import Principal
from tianmen_gateway.service_layer.idempotency import Once

router = APIRouter(prefix="/api/v1", tags=["audit"])
At = Annotated[
    datetime | None, Query(description="The moment, in event time (default: the latest in the log)")
]
Moment = Annotated[datetime | None, Query(description="Default: now")]
KnownAt = Annotated[datetime | None, Query(description="What was recorded by then (default: at)")]


@router.get(
    "/enterprises/{enterprise_id}/credit/standing",
    response_model=StandingView,
    summary="Credit standing under the model as data, every contribution explained (zh/en)",
    responses=problems(422),
)
async def get_credit_standing(
    enterprise_id: ResourceId, upstreams: UpstreamsDep, at: Moment = None
) -> Response:
    path = f"/enterprises/{segment(enterprise_id)}/standing"
    params = given(at=at.isoformat() if at else None)
    return await upstreams.fetch("credit", "GET", path, StandingView, params=params)


@router.get(
    "/enterprises/{enterprise_id}/credit/as-of",
    response_model=AsOfView,
    summary="Credit standing as known at a past moment, as now known, and what arrived late",
    responses=problems(422),
)
async def get_credit_as_of(
    enterprise_id: ResourceId, upstreams: UpstreamsDep, at: At = None, known_at: KnownAt = None
) -> Response:
    path = f"/audit/enterprises/{segment(enterprise_id)}/as-of"
    params = given(
        at=at.isoformat() if at else None, known_at=known_at.isoformat() if known_at else None
    )
    return await upstreams.fetch("credit", "GET", path, AsOfView, params=params)


@router.post(
    "/audit/credit/what-if",
    response_model=WhatIfView,
    summary="Replay history under a candidate credit model: who would change grade, and why",
    responses=problems(422),
)
async def credit_what_if(
    model: Annotated[dict[str, Any], Body(description="A candidate model, as data")],
    request: Request,
    upstreams: UpstreamsDep,
) -> Response:
    content = await request.body()
    return await upstreams.fetch("credit", "POST", "/audit/what-if", WhatIfView, content=content)


@router.post(
    "/enterprises/{enterprise_id}/credit/repairs",
    status_code=201,
    response_model=RepairView,
    summary="Apply for credit repair of one deduction, with evidence of rectification",
    responses=problems(404, 409, 422),
)
async def apply_credit_repair(
    enterprise_id: ResourceId, body: RepairIn, upstreams: UpstreamsDep, once: OnceDep
) -> Response:
    path = f"/enterprises/{segment(enterprise_id)}/repairs"
    return await _post_repair(upstreams, once, path, body)


@router.post(
    "/enterprises/{enterprise_id}/credit/repairs/{repair_id}/decision",
    response_model=RepairView,
    summary="Approve or refuse a credit repair (recorded as decided by the caller)",
    responses=problems(404, 409, 422),
)
async def decide_credit_repair(
    enterprise_id: ResourceId,
    repair_id: ResourceId,
    body: DecisionIn,
    request: Request,
    upstreams: UpstreamsDep,
    once: OnceDep,
) -> Response:
    principal: Principal = request.state.principal
    decided = body.model_copy(update={"decided_by": principal.subject})
    path = f"/enterprises/{segment(enterprise_id)}/repairs/{segment(repair_id)}/decision"
    return await _post_repair(upstreams, once, path, decided)


async def _post_repair(upstreams: Upstreams, once: Once, path: str, body: BaseModel) -> Response:
    """Forward a repair command once per idempotency key; the answer is a repair."""
    content = body.model_dump_json().encode()
    return await once(
        content, lambda: upstreams.fetch("credit", "POST", path, RepairView, content=content)
    )


@router.get(
    "/enterprises/{enterprise_id}/credit/repairs/{repair_id}",
    response_model=RepairView,
    summary="A credit repair application and its decision",
    responses=problems(404, 422),
)
async def get_credit_repair(
    enterprise_id: ResourceId, repair_id: ResourceId, upstreams: UpstreamsDep
) -> Response:
    path = f"/enterprises/{segment(enterprise_id)}/repairs/{segment(repair_id)}"
    return await upstreams.fetch("credit", "GET", path, RepairView)
