"""GeoJSON polygons checked with shapely: a valid WGS-84 polygon, and which township it is in."""

from __future__ import annotations

from typing import Any

from shapely.geometry import Point, Polygon, mapping, shape
from shapely.validation import explain_validity
from tianmen_events.errors import DomainError

from tianmen_registry.domain.jurisdictions import Jurisdictions, Tier


def checked_polygon(geojson: dict[str, Any], field: str = "boundary") -> dict[str, Any]:
    """The polygon as GeoJSON, or a refusal naming `field` and what is wrong with it."""
    if geojson.get("type") != "Polygon":
        raise DomainError("a boundary is a GeoJSON Polygon", field=field)
    try:
        polygon = shape(geojson)
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise DomainError(f"not a readable polygon: {exc}", field=field) from exc
    if not polygon.is_valid:
        raise DomainError(f"invalid polygon: {explain_validity(polygon)}", field=field)
    if polygon.is_empty or polygon.area == 0:
        raise DomainError("the polygon is empty", field=field)
    west, south, east, north = polygon.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise DomainError("coordinates are WGS-84 [longitude, latitude]", field=field)
    return dict(mapping(polygon))


def township_at(jurisdictions: Jurisdictions, geojson: dict[str, Any]) -> str:
    """The township whose boundary holds the polygon's centre; the city's code if none does."""
    centre = shape(geojson).centroid
    for item in jurisdictions.by_code.values():
        if (
            item.tier is Tier.TOWNSHIP
            and item.boundary
            and Polygon(item.boundary).contains(Point(centre))
        ):
            return item.code
    return jurisdictions.city.code
