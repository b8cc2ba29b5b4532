"""Polygons the registry draws (GeoJSON, WGS-84, [longitude, latitude]) and whether a fix is in one.

Sites and zones are a few hundred metres across, so a plane test on the degrees is exact
enough; the even-odd rule over every ring makes holes (a ring inside the outer one) work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Ring = tuple[tuple[float, float], ...]  # (longitude, latitude) pairs, closed or not


@dataclass(frozen=True)
class Polygon:
    rings: tuple[Ring, ...]

    def contains(self, latitude: float, longitude: float) -> bool:
        inside = False
        for ring in self.rings:
            inside ^= _crossings_odd(ring, longitude, latitude)
        return inside


def _crossings_odd(ring: Ring, x: float, y: float) -> bool:
    odd = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            odd = not odd
    return odd


def polygon_of(geojson: Mapping[str, Any]) -> Polygon:
    """A GeoJSON Polygon; anything else raises ValueError."""
    if geojson.get("type") != "Polygon":
        raise ValueError(f"not a GeoJSON Polygon: {geojson.get('type')!r}")
    rings: Sequence[Sequence[Sequence[float]]] = geojson["coordinates"]
    return Polygon(tuple(tuple((float(p[0]), float(p[1])) for p in ring) for ring in rings))
