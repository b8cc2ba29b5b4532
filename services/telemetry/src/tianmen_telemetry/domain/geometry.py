"""Polygons the registry draws (GeoJSON, WGS-84, [longitude, latitude]) and whether a fix is in one.

Sites and zones are a few hundred metres across, so a plane test on the degrees is exact
enough; the even-odd rule over every ring makes holes (a ring inside the outer one) work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Ring = tuple[tuple[float, float], ...]  # (longitude, latitude) pairs, closed or not


Edge = tuple[float, float, float, float]  # x1, y1, x2, y2


@dataclass(frozen=True)
class Polygon:
    rings: tuple[Ring, ...]
    # Derived once (a polygon is tested for every working report): each ring's edges, and the
    # bounding box, outside which no point is inside.
    _edges: tuple[tuple[Edge, ...], ...] = field(init=False, repr=False, compare=False)
    _box: tuple[float, float, float, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        edges = tuple(
            tuple((*a, *b) for a, b in zip(ring, ring[1:] + ring[:1], strict=True))
            for ring in self.rings
        )
        points = [p for ring in self.rings for p in ring] or [(0.0, 0.0)]
        xs, ys = [x for x, _ in points], [y for _, y in points]
        object.__setattr__(self, "_edges", edges)
        object.__setattr__(self, "_box", (min(xs), min(ys), max(xs), max(ys)))

    def contains(self, latitude: float, longitude: float) -> bool:
        west, south, east, north = self._box
        if not (west <= longitude <= east and south <= latitude <= north) or not self.rings:
            return False
        # Even-odd over every ring at once: the parity of all the crossings is the rings'
        # parities combined (one loop, no call a ring: tested for every working report).
        x, y, inside = longitude, latitude, False
        for edges in self._edges:
            for x1, y1, x2, y2 in edges:
                if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
        return inside


def polygon_of(geojson: Mapping[str, Any]) -> Polygon:
    """A GeoJSON Polygon; anything else raises ValueError."""
    if geojson.get("type") != "Polygon":
        raise ValueError(f"not a GeoJSON Polygon: {geojson.get('type')!r}")
    rings: Sequence[Sequence[Sequence[float]]] = geojson["coordinates"]
    return Polygon(tuple(tuple((float(p[0]), float(p[1])) for p in ring) for ring in rings))
