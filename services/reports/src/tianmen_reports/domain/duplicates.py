"""Likely duplicates: an open tip of the same category near in place and time."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from tianmen_reports.domain.tip import Tip, TipStatus

EARTH_RADIUS_M = 6_371_008.8
STILL_OPEN = frozenset({TipStatus.SUBMITTED, TipStatus.ASSIGNED, TipStatus.VERIFYING})


@dataclass(frozen=True)
class DuplicateRules:
    version: str = "duplicates/2026.1"
    radius_m: float = 200.0
    window: timedelta = timedelta(hours=24)


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def similar(tip: Tip, others: Iterable[Tip], rules: DuplicateRules) -> list[str]:
    """Open tips the reporter could follow instead, nearest first."""
    here = (tip.latitude, tip.longitude)
    near = [
        (distance_m(here, (other.latitude, other.longitude)), other.tip_id)
        for other in others
        if other.tip_id != tip.tip_id
        and other.category == tip.category
        and other.status in STILL_OPEN
        and abs(other.submitted_at - tip.submitted_at) <= rules.window
    ]
    return [tip_id for meters, tip_id in sorted(near) if meters <= rules.radius_m]
