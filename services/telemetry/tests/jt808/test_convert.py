"""A JT/T 808 location becomes a report: its tamper alarm bits become the report's alarms."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tianmen_telemetry.jt808.convert import to_report
from tianmen_telemetry.jt808.messages.flags import Alarm, Status
from tianmen_telemetry.jt808.messages.location import Location

GMT8 = timezone(timedelta(hours=8))
WHEN = datetime(2026, 5, 11, 10, 0, tzinfo=GMT8)
FIXED = Status.POSITIONED | Status.ACC_ON


def _location(alarm: Alarm) -> Location:
    return Location(alarm, FIXED, 30_653_100, 113_166_100, 30, 0, 0, WHEN)


def test_power_cut_and_antenna_cut_bits_become_tamper_alarms() -> None:
    report = to_report("13912345678", _location(Alarm.POWER_CUT | Alarm.GNSS_ANTENNA_CUT))
    assert report is not None
    assert report.alarms == ("power_cut", "antenna_cut")


def test_lawful_twin_other_alarm_bits_are_no_tamper_alarm() -> None:
    report = to_report("13912345678", _location(Alarm.OVERSPEED | Alarm.FATIGUE_DRIVING))
    assert report is not None
    assert report.alarms == ()
