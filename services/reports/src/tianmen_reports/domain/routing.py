"""Which jurisdiction owns a WGS-84 point: polygons (from the registry's jurisdiction data),
the innermost containing one wins, else the county that owns the whole area."""

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
        for township in self.townships:
            if contains(township.ring, (longitude, latitude)):
                return township.code
        return self.county


def contains(ring: Sequence[Point], point: Point) -> bool:
    """Ray casting: a point on the ring's inside (edges count as either side, consistently)."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
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


# Until the registry publishes township polygons: Tianmen (429006) with the old town's
# 竟陵街道 as a coarse box. Approximate, for routing tests and local runs only.
DEFAULT_JURISDICTIONS = JurisdictionTable(
    version="jurisdictions/default-1",
    county="429006",
    townships=(
        Jurisdiction(
            code="429006001",
            name="竟陵街道",
            ring=((113.12, 30.62), (113.21, 30.62), (113.21, 30.69), (113.12, 30.69)),
        ),
    ),
)
