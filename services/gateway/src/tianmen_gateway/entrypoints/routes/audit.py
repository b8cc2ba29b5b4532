"""/api/v1/audit: evidence that replayed state agrees with live state."""

from __future__ import annotations

from fastapi import APIRouter, Response

from tianmen_gateway.entrypoints.deps import UpstreamsDep
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.entrypoints.schemas.composed import Digests
from tianmen_gateway.service_layer.compose import audit_digests

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


@router.get(
    "/digests",
    response_model=Digests,
    summary="State digests of telemetry, safety and credit (compare: `python -m tianmen_<svc> replay`)",
    responses=problems(),
)
async def get_digests(upstreams: UpstreamsDep) -> Response:
    return await audit_digests(upstreams)
