"""Evidence from telemetry: the machines whose tracks passed near a tip around its time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tianmen_reports.domain.duplicates import distance_m


@dataclass(frozen=True)
class TrackPoint:
    machine_id: str
    enterprise_id: str
    reported_at: datetime
    latitude: float
    longitude: float
    working: bool


@dataclass(frozen=True)
class EvidenceRules:
    version: str = "evidence/2026.1"
    radius_m: float = 300.0
    window: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class NearbyMachine:
    machine_id: str
    enterprise_id: str
    closest_m: float  # nearest approach to the tip within the window
    closest_at: datetime
    points: int  # track points within the radius and window
    working: bool  # reported working at any of those points


def nearby_machines(
    latitude: float,
    longitude: float,
    at: datetime,
    points: Iterable[TrackPoint],
    rules: EvidenceRules,
) -> list[NearbyMachine]:
    """Machines within `radius_m` of the tip in [at − window, at + window], nearest first."""
    best: dict[str, NearbyMachine] = {}
    for point in points:
        if abs(point.reported_at - at) > rules.window:
            continue
        meters = distance_m((latitude, longitude), (point.latitude, point.longitude))
        if meters <= rules.radius_m:
            best[point.machine_id] = _closer(best.get(point.machine_id), point, meters)
    return sorted(best.values(), key=lambda m: (m.closest_m, m.machine_id))


def _closer(known: NearbyMachine | None, point: TrackPoint, meters: float) -> NearbyMachine:
    if known is None:
        return NearbyMachine(
            point.machine_id,
            point.enterprise_id,
            round(meters, 1),
            point.reported_at,
            1,
            point.working,
        )
    nearer = meters < known.closest_m
    return NearbyMachine(
        machine_id=known.machine_id,
        enterprise_id=known.enterprise_id,
        closest_m=round(meters, 1) if nearer else known.closest_m,
        closest_at=point.reported_at if nearer else known.closest_at,
        points=known.points + 1,
        working=known.working or point.working,
    )
