"""Where a position is plausible: a report outside the city's area is a data-quality finding.

A terminal without a fix sends 0,0 or its last fix from elsewhere; a machine the city
supervises works inside the city. Such a report is kept as a finding (what the terminal said),
never as the machine's position, and no rule sees it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tianmen_events.telemetry import TerminalReported


@dataclass(frozen=True)
class Area:
    """A WGS-84 bounding box in degrees, versioned like the rules."""

    version: str
    south: float
    west: float
    north: float
    east: float

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


# Tianmen city (天门市) with a margin of a few kilometres on every side.
TIANMEN = Area("tianmen-area/1", south=30.35, west=112.55, north=30.95, east=113.50)


def outside(report: TerminalReported, area: Area) -> str | None:
    """Why the report is not a position, or None if it is one."""
    if area.contains(report.latitude, report.longitude):
        return None
    return (
        f"position {report.latitude:.6f},{report.longitude:.6f} is outside the city's area "
        f"({area.version}: {area.south}..{area.north} N, {area.west}..{area.east} E)"
    )
