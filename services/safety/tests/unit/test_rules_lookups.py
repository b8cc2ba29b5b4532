"""The points table's look-ups built once are the walks they replace: a code's points, a
time's cycle year."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from tianmen_events.codes import ViolationCode
from tianmen_events.errors import DomainError
from tianmen_safety.domain.rules import RULES, PointsRules


def walked(rules: PointsRules, code: ViolationCode) -> int | None:
    """`points_for` as it was: the found codes, then the first alert rule of the code."""
    if code in rules.found_points:
        return rules.found_points[code]
    for rule in rules.violations.values():
        if rule.code == code:
            return rule.points
    return None


@pytest.mark.parametrize("code", list(ViolationCode))
def test_points_for_is_the_walk_of_the_table(code: ViolationCode) -> None:
    points = walked(RULES, code)
    if points is None:
        with pytest.raises(DomainError):
            RULES.points_for(code)
    else:
        assert RULES.points_for(code) == points
        assert RULES.points_for(str(code)) == points  # type: ignore[arg-type]  # a row's text


def test_a_replaced_table_prices_by_its_own_rules() -> None:
    night = RULES.violations[next(iter(RULES.violations))]
    dearer = replace(RULES, found_points={night.code: night.points + 7})
    assert dearer.points_for(night.code) == night.points + 7
    assert RULES.points_for(night.code) == night.points


@pytest.mark.parametrize(
    "zone", ["Asia/Shanghai", "UTC", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago"]
)
def test_cycle_year_is_the_calendar_year_in_the_zone(zone: str) -> None:
    rules = replace(RULES, timezone=zone)
    seconds = (-86400 * 200, -3600 * 15, -1, 0, 1, 3600 * 15, 86400 * 200)
    for year in (2025, 2026, 2027):
        new_year = datetime(year, 1, 1, tzinfo=ZoneInfo(zone)).astimezone(UTC)
        for offset in seconds:
            at = new_year + timedelta(seconds=offset, microseconds=offset % 7)
            expected = at.astimezone(ZoneInfo(zone)).year
            assert rules.cycle_year(at) == expected
            assert rules.cycle_year(at.astimezone(ZoneInfo("Asia/Tokyo"))) == expected
