"""A JT/T 808 location → the suite's `Report` (WGS-84, aware time, working flag).

"Working" is the ACC bit (status bit 0): on a construction machine the terminal's ACC line is
wired to the ignition, so ACC on means the engine is running. A report without a position fix
(status bit 1 clear) carries no usable coordinates and is not converted. Tamper alarm bits
(power cut, bit 8; GNSS antenna cut, bit 5) become the report's `alarms`. The mileage, fuel
(litres), engine hours and engine number come from the additional items (`items.readings`).
"""

from __future__ import annotations

from tianmen_events.telemetry import TerminalAlarm

from tianmen_telemetry.domain.commands import Report
from tianmen_telemetry.jt808.items import DEFAULT_IDS, ItemIds, readings
from tianmen_telemetry.jt808.messages.flags import Alarm, Status
from tianmen_telemetry.jt808.messages.location import Location

_ACC_ON, _POSITIONED = int(Status.ACC_ON), int(Status.POSITIONED)
TAMPER_BITS = (
    (Alarm.POWER_CUT, TerminalAlarm.POWER_CUT),
    (Alarm.GNSS_ANTENNA_CUT, TerminalAlarm.ANTENNA_CUT),
)
_TAMPER_MASK = int(Alarm.POWER_CUT | Alarm.GNSS_ANTENNA_CUT)


def is_working(location: Location) -> bool:
    return bool(int(location.status) & _ACC_ON)


def tamper_alarms(location: Location) -> tuple[TerminalAlarm, ...]:
    alarm = int(location.alarm)
    if not alarm & _TAMPER_MASK:
        return ()  # nearly every report: no flag is tested
    return tuple(tampered for bit, tampered in TAMPER_BITS if alarm & bit)


def to_report(terminal_id: str, location: Location, ids: ItemIds = DEFAULT_IDS) -> Report | None:
    """Bits are tested on the plain ints: a flag enum's `in` costs a call each, per report."""
    status = int(location.status)
    if not status & _POSITIONED:
        return None
    mileage, fuel, hours, number = readings(location, ids)
    return Report(
        terminal_id=terminal_id,
        reported_at=location.time,
        latitude=location.latitude,
        longitude=location.longitude,
        working=bool(status & _ACC_ON),
        alarms=tamper_alarms(location),
        engine_hours=hours,
        engine_number=number,
        fuel_litres=fuel,
        mileage_km=mileage,
    )
