"""A JT/T 808 location → the suite's `Report` (WGS-84, aware time, working flag).

"Working" is the ACC bit (status bit 0): on a construction machine the terminal's ACC line is
wired to the ignition, so ACC on means the engine is running. A report without a position fix
(status bit 1 clear) carries no usable coordinates and is not converted. Tamper alarm bits
(power cut, bit 8; GNSS antenna cut, bit 5) become the report's `alarms`.
"""

from __future__ import annotations

from tianmen_events.telemetry import TerminalAlarm

from tianmen_telemetry.domain.commands import Report
from tianmen_telemetry.jt808.messages.flags import Alarm, Status
from tianmen_telemetry.jt808.messages.location import Location


def is_working(location: Location) -> bool:
    return Status.ACC_ON in location.status


TAMPER_BITS = (
    (Alarm.POWER_CUT, TerminalAlarm.POWER_CUT),
    (Alarm.GNSS_ANTENNA_CUT, TerminalAlarm.ANTENNA_CUT),
)


def tamper_alarms(location: Location) -> tuple[TerminalAlarm, ...]:
    return tuple(alarm for bit, alarm in TAMPER_BITS if bit in location.alarm)


def to_report(terminal_id: str, location: Location) -> Report | None:
    if Status.POSITIONED not in location.status:
        return None
    return Report(
        terminal_id=terminal_id,
        reported_at=location.time,
        latitude=location.latitude,
        longitude=location.longitude,
        working=is_working(location),
        alarms=tamper_alarms(location),
    )
