"""/api/v1/jurisdictions: the registry's jurisdiction boundaries, for the consoles' map."""

from __future__ import annotations

from fastapi import APIRouter, Response
from tianmen_registry.entrypoints.schemas import JurisdictionBoundaries

from tianmen_gateway.entrypoints.deps import UpstreamsDep

router = APIRouter(prefix="/api/v1/jurisdictions", tags=["jurisdictions"])


@router.get(
    "/boundaries",
    response_model=JurisdictionBoundaries,
    summary="Jurisdiction boundaries: the city's townships as GeoJSON polygons (WGS-84)",
)
async def get_boundaries(upstreams: UpstreamsDep) -> Response:
    """Approximate until the registry holds surveyed polygons (its data file says which)."""
    return await upstreams.fetch(
        "registry", "GET", "/jurisdictions/boundaries", JurisdictionBoundaries
    )
