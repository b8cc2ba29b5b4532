"""Which jurisdiction owns a WGS-84 point: the township whose polygon (the registry's
jurisdiction data, `adapters.jurisdictions`) contains it, else the county that owns the area.

A point on a boundary belongs to the polygon (boundaries are closed), so a point on the edge two
townships share, or inside two overlapping ones, is in both: the smaller township wins (the more
specific area), then the lower code, so the answer never depends on the order of the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from tianmen_events.reports import TipRouted

Point = tuple[float, float]  # (longitude, latitude)


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    ring: tuple[Point, ...]  # closed or not; (longitude, latitude) vertices

    @property
    def area(self) -> float:
        """In square degrees (shoelace): only ever compared with other townships' areas."""
        pairs = zip(self.ring, [*self.ring[1:], self.ring[0]], strict=True)
        return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


class Jurisdictions(Protocol):
    """The port: who owns a point. The registry's jurisdiction data will implement it."""

    @property
    def version(self) -> str: ...

    def owner(self, latitude: float, longitude: float) -> str: ...


@dataclass(frozen=True)
class JurisdictionTable:
    version: str
    county: str  # owns every point no township polygon contains
    townships: tuple[Jurisdiction, ...]

    def owner(self, latitude: float, longitude: float) -> str:
        point = (longitude, latitude)
        found = [t for t in self.townships if contains(t.ring, point)]
        if not found:
            return self.county
        return min(found, key=lambda t: (round(t.area, 9), t.code)).code


def _edges(ring: Sequence[Point]) -> list[tuple[Point, Point]]:
    return list(zip(ring, [*ring[1:], ring[0]], strict=True))


def on_boundary(ring: Sequence[Point], point: Point, tolerance: float = 1e-9) -> bool:
    """On one of the ring's edges (within `tolerance` degrees, ~0.1 mm)."""
    return any(_on_edge(a, b, point, tolerance) for a, b in _edges(ring))


def _on_edge(a: Point, b: Point, point: Point, tolerance: float) -> bool:
    (x1, y1), (x2, y2), (x, y) = a, b, point
    in_box = (
        min(x1, x2) - tolerance <= x <= max(x1, x2) + tolerance
        and min(y1, y2) - tolerance <= y <= max(y1, y2) + tolerance
    )
    cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)
    return in_box and abs(cross) <= tolerance * max(abs(x2 - x1), abs(y2 - y1), tolerance)


def contains(ring: Sequence[Point], point: Point) -> bool:
    """Inside the ring or on its boundary (ray casting for the inside)."""
    if on_boundary(ring, point):
        return True
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in _edges(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def route(
    tip_id: str,
    latitude: float,
    longitude: float,
    table: Jurisdictions,
    *,
    now: datetime,
    assign_within: timedelta,
) -> TipRouted:
    return TipRouted(
        tip_id=tip_id,
        jurisdiction=table.owner(latitude, longitude),
        routed_at=now,
        assign_by=now + assign_within,
        rules_version=table.version,
    )
