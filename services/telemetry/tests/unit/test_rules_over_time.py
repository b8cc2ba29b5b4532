"""Rules over a machine's history, given/when/then: given earlier reports, when one more
arrives, then the alert (once, with its evidence), or nothing for the lawful twin."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from tianmen_events import derive_id
from tianmen_events.telemetry import AlertRaised
from tianmen_telemetry.domain.alerts import decide
from tianmen_telemetry.domain.live_state import LiveState, evolve
from tianmen_telemetry.domain.rules import RULES

from ..helpers import MACHINE, at, reported, seen

MORNING = at("2026-05-11T07:00:00")
# 5.2 km north-east (4.1 km north, 3.2 km east) of the site the reports come from (30.6531, 113.1661).
FAR = {"latitude": 30.69, "longitude": 113.20}


def given(*reports: tuple[datetime, dict[str, Any]]) -> LiveState | None:
    state = None
    for when, fields in reports:
        state = evolve(state, reported(when, **fields))
    return state


def when(state: LiveState | None, at_: datetime, **fields: Any) -> list[AlertRaised]:
    return decide(seen(reported(at_, **fields), state), rules=RULES, raised={}).raised


def every(
    start: datetime, minutes: int, count: int, **fields: Any
) -> list[tuple[datetime, dict[str, Any]]]:
    return [(start + timedelta(minutes=minutes * i), fields) for i in range(count)]


def test_working_four_hours_and_a_minute_without_a_break_raises_continuous_work() -> None:
    state = given(*every(MORNING, 5, 49))  # 07:00 .. 11:00, working
    [alert] = when(state, MORNING + timedelta(hours=4, minutes=1))
    assert (alert.rule, alert.rule_version) == ("continuous_work", "continuous-work/1")
    since = "2026-05-10T23:00:00+00:00"  # 07:00 in Tianmen
    assert alert.alert_id == derive_id("alert", "continuous_work", MACHINE, since)
    assert f"since {since} (4.0 h)" in alert.detail
    assert [f.reported_at for f in alert.evidence] == [
        MORNING + timedelta(hours=4),
        MORNING + timedelta(hours=4, minutes=1),
    ]


def test_every_later_report_of_one_run_derives_the_same_continuous_work_alert() -> None:
    state = given(*every(MORNING, 5, 50))
    [first] = when(state, MORNING + timedelta(hours=4, minutes=6))
    [again] = when(state, MORNING + timedelta(hours=4, minutes=9))
    assert first.alert_id == again.alert_id


def test_a_run_derives_one_alert_whatever_offset_its_start_was_written_with() -> None:
    """A run's start read back from the store is in UTC, kept from a report it is +08:00."""
    state = given(*every(MORNING, 5, 49))
    assert state is not None and state.working_since is not None
    in_utc = replace(state, working_since=state.working_since.astimezone(UTC))
    later = MORNING + timedelta(hours=4, minutes=1)
    assert [a.alert_id for a in when(state, later)] == [a.alert_id for a in when(in_utc, later)]


def test_lawful_twin_a_break_longer_than_ten_minutes_starts_a_new_run() -> None:
    state = given(
        *every(MORNING, 5, 25),  # 07:00 .. 09:00
        (MORNING + timedelta(hours=2, minutes=5), {"working": False}),
        *every(MORNING + timedelta(hours=2, minutes=20), 5, 25),  # 09:20 .. 11:20
    )
    assert when(state, MORNING + timedelta(hours=4, minutes=25)) == []


def test_lawful_twin_working_exactly_four_hours_raises_nothing() -> None:
    state = given(*every(MORNING, 5, 48))
    assert when(state, MORNING + timedelta(hours=4)) == []


def test_silent_while_working_then_heard_far_away_is_suspected_tampering() -> None:
    state = given((MORNING, {}))
    [alert] = when(state, MORNING + timedelta(minutes=45), working=False, **FAR)
    assert (alert.rule, alert.rule_version) == ("terminal_silent_and_moved", "silent-and-moved/1")
    assert alert.detail == "terminal silent 45 min while working, reappeared 5.2 km away"
    last, now = alert.evidence
    assert (last.reported_at, last.working) == (MORNING, True)
    assert (now.latitude, now.longitude) == (FAR["latitude"], FAR["longitude"])


def test_lawful_twin_silent_while_parked_then_moved_on_a_lowbed_raises_nothing() -> None:
    state = given((MORNING, {"working": False}))
    assert when(state, MORNING + timedelta(minutes=45), working=False, **FAR) == []


def test_lawful_twin_silent_while_working_but_heard_again_on_site_raises_nothing() -> None:
    state = given((MORNING, {}))
    assert when(state, MORNING + timedelta(hours=3), latitude=30.6535) == []


def test_a_late_report_from_before_the_silence_is_history_not_a_tamper() -> None:
    state = given((MORNING, {}))
    assert when(state, MORNING - timedelta(hours=1), **FAR) == []


def test_a_jump_no_machine_can_make_is_a_data_quality_alert() -> None:
    state = given((MORNING, {"working": False}))
    [alert] = when(state, MORNING + timedelta(minutes=1), working=False, **FAR)
    assert (alert.rule, alert.rule_version) == ("implausible_movement", "implausible-movement/1")
    assert "moved 5.2 km in 1.0 min" in alert.detail
    assert [f.latitude for f in alert.evidence] == [30.6531, FAR["latitude"]]


def test_lawful_twin_a_machine_carried_at_lowbed_speed_raises_nothing() -> None:
    state = given((MORNING, {"working": False}))
    assert when(state, MORNING + timedelta(minutes=5), working=False, **FAR) == []


def test_lawful_twin_gps_jitter_on_site_raises_nothing() -> None:
    state = given((MORNING, {"working": False}))
    assert when(state, MORNING + timedelta(seconds=10), working=False, latitude=30.6561) == []


def test_fuel_falling_fifteen_points_while_parked_is_a_fuel_anomaly() -> None:
    state = given((at("2026-05-11T19:00:00"), {"working": False, "fuel_level_pct": 62.0}))
    [alert] = when(state, at("2026-05-12T06:30:00"), working=False, fuel_level_pct=47.0)
    assert (alert.rule, alert.rule_version) == ("fuel_drop_while_parked", "fuel-drop-parked/1")
    assert alert.detail == "fuel level fell from 62% to 47% while parked"
    assert len(alert.evidence) == 2


def test_lawful_twin_fuel_burnt_while_working_raises_no_fuel_anomaly() -> None:
    state = given((MORNING, {"fuel_level_pct": 62.0}))
    alerts = when(state, MORNING + timedelta(minutes=5), fuel_level_pct=47.0)
    assert [a.rule for a in alerts] == []


def test_lawful_twin_sensor_noise_while_parked_raises_nothing() -> None:
    state = given((MORNING, {"working": False, "fuel_level_pct": 62.0}))
    assert when(state, MORNING + timedelta(hours=1), working=False, fuel_level_pct=55.0) == []


def test_a_power_cut_alarm_is_one_tamper_alert_per_day() -> None:
    [alert] = when(None, MORNING, alarms=("power_cut",))
    assert (alert.rule, alert.detail) == ("tamper_alarm", "terminal alarm: power_cut")
    [again] = when(None, MORNING + timedelta(hours=3), alarms=("power_cut",))
    assert again.alert_id == alert.alert_id


def test_lawful_twin_a_report_without_alarms_raises_no_tamper_alert() -> None:
    assert when(None, MORNING) == []
