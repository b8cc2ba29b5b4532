"""A JT/T 808 location → the suite's `Report` (WGS-84, aware time, working flag).

"Working" is the ACC bit (status bit 0): on a construction machine the terminal's ACC line is
wired to the ignition, so ACC on means the engine is running. A report without a position fix
(status bit 1 clear) carries no usable coordinates and is not converted.
"""

from __future__ import annotations

from tianmen_telemetry.domain.commands import Report
from tianmen_telemetry.jt808.messages.flags import Status
from tianmen_telemetry.jt808.messages.location import Location


def is_working(location: Location) -> bool:
    return Status.ACC_ON in location.status


def to_report(terminal_id: str, location: Location) -> Report | None:
    if Status.POSITIONED not in location.status:
        return None
    return Report(
        terminal_id=terminal_id,
        reported_at=location.time,
        latitude=location.latitude,
        longitude=location.longitude,
        working=is_working(location),
    )
