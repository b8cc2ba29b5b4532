"""/api/v1/verify/{registration_number}: what the QR code on a machine's plate leads to.
Public: no token; the answer holds nothing personal."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from tianmen_registry.entrypoints.schemas import Verification

from tianmen_gateway.adapters.upstream import segment
from tianmen_gateway.entrypoints.deps import UpstreamsDep
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.entrypoints.routes import forward

router = APIRouter(prefix="/api/v1/verify", tags=["verify"])
RegistrationNumber = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9-]{1,32}$", description="As on the plate, e.g. TM2026-1A2B3C4D")
]


@router.get(
    "/{registration_number}",
    response_model=Verification,
    summary="Verify a registration number: the machine's kind, brand, model and status",
    responses=problems(404, 422),
)
async def verify_registration(
    registration_number: RegistrationNumber, upstreams: UpstreamsDep
) -> Response:
    return await forward.read(upstreams, f"/verify/{segment(registration_number)}", Verification)
