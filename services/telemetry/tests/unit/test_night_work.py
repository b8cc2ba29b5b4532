"""NIGHT WORK: working in [22:00, 06:00) Tianmen time raises one alert per machine per night."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tianmen_events import derive_id
from tianmen_telemetry.domain.alerts import decide
from tianmen_telemetry.domain.rules import NIGHT_WORK, RULES

from ..helpers import MACHINE, at, reported, seen


@pytest.mark.parametrize(
    ("local", "night"),
    [
        ("2026-05-11T21:59:59", False),
        ("2026-05-11T22:00:00", True),
        ("2026-05-12T05:59:59", True),
        ("2026-05-12T06:00:00", False),
        ("2026-05-12T12:00:00", False),
        ("2026-05-12T00:00:00", True),
    ],
)
def test_night_window_is_22_to_06_local(local: str, night: bool) -> None:
    assert NIGHT_WORK.is_night(at(local)) is night


def test_utc_times_are_judged_in_tianmen_time() -> None:
    assert NIGHT_WORK.is_night(datetime(2026, 5, 11, 14, 0, tzinfo=UTC))  # 22:00 local
    assert not NIGHT_WORK.is_night(datetime(2026, 5, 11, 13, 59, 59, tzinfo=UTC))
    assert not NIGHT_WORK.is_night(datetime(2026, 5, 11, 22, 0, tzinfo=UTC))  # 06:00 next day


def test_a_naive_time_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="no timezone"):
        NIGHT_WORK.is_night(datetime(2026, 5, 11, 23, 0))


@pytest.mark.parametrize(
    ("when", "night_of"),
    [
        (at("2026-05-11T23:30:00"), date(2026, 5, 11)),
        (at("2026-05-12T01:30:00"), date(2026, 5, 11)),
        (datetime(2026, 5, 11, 17, 30, tzinfo=UTC), date(2026, 5, 11)),  # 01:30 on the 12th
        (at("2026-05-12T22:00:00"), date(2026, 5, 12)),
    ],
)
def test_night_date_is_the_local_date_the_night_began(when: datetime, night_of: date) -> None:
    assert NIGHT_WORK.night_date(when) == night_of


def test_working_at_night_raises_a_versioned_alert_staff_can_read() -> None:
    report = reported(at("2026-05-11T23:30:00"))
    [alert] = decide(seen(report), rules=RULES, raised={}).raised
    assert alert.rule == "night_work"
    assert alert.rule_version == "night-work/2"
    assert alert.alert_id == derive_id("alert", "night_work", MACHINE, date(2026, 5, 11))
    assert alert.observed_at == report.reported_at
    assert (alert.enterprise_id, alert.terminal_id) == (report.enterprise_id, report.terminal_id)
    assert alert.detail == ("working at 23:30 (Asia/Shanghai), outside permitted hours 06:00–22:00")
    [fix] = alert.evidence
    assert (fix.report_id, fix.reported_at, fix.working) == (
        report.report_id,
        report.reported_at,
        True,
    )


def test_detail_gives_local_time_for_a_utc_report() -> None:
    [alert] = decide(
        seen(reported(datetime(2026, 5, 11, 15, 30, tzinfo=UTC))), rules=RULES, raised={}
    ).raised
    assert alert.detail.startswith("working at 23:30 (Asia/Shanghai)")


def test_idle_at_night_raises_nothing() -> None:
    assert (
        decide(
            seen(reported(at("2026-05-11T23:30:00"), working=False)), rules=RULES, raised={}
        ).raised
        == []
    )


def test_working_by_day_raises_nothing() -> None:
    assert decide(seen(reported(at("2026-05-11T14:00:00"))), rules=RULES, raised={}).raised == []


def test_a_second_report_the_same_night_raises_no_second_alert() -> None:
    [first] = decide(seen(reported(at("2026-05-11T23:30:00"))), rules=RULES, raised={}).raised
    later = reported(at("2026-05-12T01:30:00"))
    assert (
        decide(seen(later), rules=RULES, raised={first.alert_id: first.enterprise_id}).raised == []
    )


def test_the_next_night_raises_a_new_alert() -> None:
    [first] = decide(seen(reported(at("2026-05-11T23:30:00"))), rules=RULES, raised={}).raised
    [second] = decide(
        seen(reported(at("2026-05-12T23:30:00"))),
        rules=RULES,
        raised={first.alert_id: first.enterprise_id},
    ).raised
    assert second.alert_id != first.alert_id


_NIGHT_START = at("2026-05-11T22:00:00")
_in_one_night = st.integers(min_value=0, max_value=8 * 3600 - 1).map(
    lambda s: _NIGHT_START + timedelta(seconds=s)
)


@given(_in_one_night, _in_one_night)
def test_every_moment_of_one_night_derives_the_same_alert(a: datetime, b: datetime) -> None:
    [first] = decide(seen(reported(a)), rules=RULES, raised={}).raised
    [second] = decide(seen(reported(b.astimezone(UTC))), rules=RULES, raised={}).raised
    assert first.alert_id == second.alert_id


@given(
    st.datetimes(
        min_value=datetime(1992, 1, 1),
        max_value=datetime(2200, 1, 1),
        timezones=st.just(UTC),
    )
)
def test_night_means_local_hour_from_22_to_before_6(when: datetime) -> None:
    local_hour = (when + timedelta(hours=8)).hour  # Asia/Shanghai has no DST since 1991
    assert NIGHT_WORK.is_night(when) is (local_hour >= 22 or local_hour < 6)
