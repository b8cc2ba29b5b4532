"""The jurisdictions' boundaries as GeoJSON, for maps (the consoles draw them as vector layers)."""

from __future__ import annotations

from fastapi import APIRouter

from tianmen_registry.adapters import reference
from tianmen_registry.domain.jurisdictions import Jurisdiction
from tianmen_registry.entrypoints.schemas import (
    BoundaryPolygon,
    JurisdictionBoundaries,
    JurisdictionFeature,
    JurisdictionProperties,
)

router = APIRouter(tags=["jurisdictions"])


def feature(item: Jurisdiction) -> JurisdictionFeature:
    return JurisdictionFeature(
        geometry=BoundaryPolygon(coordinates=[list(item.boundary)]),
        properties=JurisdictionProperties(
            code=item.code, name=item.name, tier=item.tier.value, parent=item.parent
        ),
    )


@router.get("/jurisdictions/boundaries", summary="Jurisdiction boundaries (GeoJSON, WGS-84)")
def boundaries() -> JurisdictionBoundaries:
    every = reference.current().jurisdictions.by_code.values()
    return JurisdictionBoundaries(features=[feature(item) for item in every if item.boundary])
