"""A polygon's even-odd test over all its rings at once (`Polygon.contains`) says what testing
each ring on its own and combining their parities says, holes and all."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from tianmen_telemetry.domain.geometry import Polygon, polygon_of

_COORD = st.floats(min_value=-2.0, max_value=2.0, allow_nan=False).map(lambda v: round(v, 2))
_RING = st.lists(st.tuples(_COORD, _COORD), min_size=3, max_size=7)


def _ring_odd(ring: list[tuple[float, float]], x: float, y: float) -> bool:
    """One ring's crossings, as the test was written ring by ring (round 16)."""
    odd = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            odd = not odd
    return odd


def _inside(rings: list[list[tuple[float, float]]], x: float, y: float) -> bool:
    inside = False
    for ring in rings:
        inside ^= _ring_odd(ring, x, y)
    return inside


@given(rings=st.lists(_RING, min_size=1, max_size=3), x=_COORD, y=_COORD)
def test_a_point_is_inside_as_its_rings_parities_combined_say(
    rings: list[list[tuple[float, float]]], x: float, y: float
) -> None:
    area = polygon_of({"type": "Polygon", "coordinates": [[list(p) for p in r] for r in rings]})
    assert area.contains(y, x) == _inside(rings, x, y)


def test_a_point_in_a_hole_is_outside_and_one_between_the_rings_inside() -> None:
    outer = ((0.0, 0.0), (3.0, 0.0), (3.0, 3.0), (0.0, 3.0))
    hole = ((1.0, 1.0), (2.0, 1.0), (2.0, 2.0), (1.0, 2.0))
    area = Polygon((outer, hole))
    assert not area.contains(1.5, 1.5)
    assert area.contains(0.5, 0.5)
    assert not area.contains(4.0, 4.0)
