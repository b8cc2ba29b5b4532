"""Given a report's position, when it is outside the city's area, then it is not a position."""

from __future__ import annotations

import pytest
from tianmen_telemetry.domain.area import TIANMEN, outside

from ..helpers import at, reported


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(0.0, 0.0), (39.9042, 116.4074), (30.6531, 114.3055), (30.34, 113.0), (30.96, 113.0)],
)
def test_positions_outside_the_city_are_set_aside_with_the_reason(
    latitude: float, longitude: float
) -> None:
    report = reported(at("2026-05-11T10:00:00"), latitude=latitude, longitude=longitude)
    detail = outside(report, TIANMEN)
    assert detail is not None
    assert f"{latitude:.6f},{longitude:.6f}" in detail and "tianmen-area/1" in detail


@pytest.mark.parametrize(
    ("latitude", "longitude"), [(30.6531, 113.1661), (30.35, 112.55), (30.95, 113.5)]
)
def test_positions_in_the_city_and_on_its_edge_are_positions(
    latitude: float, longitude: float
) -> None:
    report = reported(at("2026-05-11T10:00:00"), latitude=latitude, longitude=longitude)
    assert outside(report, TIANMEN) is None
