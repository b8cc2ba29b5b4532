"""Routing by polygon with a county fallback; duplicates by category, radius and window."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tianmen_events.reports import TipCategory
from tianmen_reports.adapters import jurisdictions
from tianmen_reports.domain.duplicates import DuplicateRules, distance_m, similar
from tianmen_reports.domain.routing import (
    Jurisdiction,
    JurisdictionTable,
    contains,
    route,
)
from tianmen_reports.domain.tip import Tip, TipStatus

T0 = datetime(2026, 5, 12, 23, 30, tzinfo=UTC)
# An L-shaped township: the notch (113.15, 30.65) is outside it.
L_SHAPE = (
    (113.1, 30.6),
    (113.2, 30.6),
    (113.2, 30.64),
    (113.14, 30.64),
    (113.14, 30.7),
    (113.1, 30.7),
)
TABLE = JurisdictionTable(
    "t-1", county="429006", townships=(Jurisdiction("429006100", "L镇", L_SHAPE),)
)


def test_a_point_inside_a_township_polygon_goes_to_that_township() -> None:
    assert TABLE.owner(30.62, 113.18) == "429006100"
    assert TABLE.owner(30.68, 113.12) == "429006100"


def test_a_point_in_the_notch_or_outside_every_township_goes_to_the_county() -> None:
    assert not contains(L_SHAPE, (113.17, 30.67))
    assert TABLE.owner(30.67, 113.17) == "429006"
    assert TABLE.owner(30.9, 112.9) == "429006"


def test_a_point_on_a_township_boundary_or_vertex_belongs_to_that_township() -> None:
    assert TABLE.owner(30.6, 113.15) == "429006100"  # on the southern edge
    assert TABLE.owner(30.67, 113.14) == "429006100"  # on the notch's inner edge
    assert TABLE.owner(30.64, 113.2) == "429006100"  # a vertex
    assert TABLE.owner(30.5999, 113.15) == "429006"  # just outside the edge


WEST = Jurisdiction(
    "429006200", "西镇", ((113.0, 30.0), (113.1, 30.0), (113.1, 30.1), (113.0, 30.1))
)
EAST = Jurisdiction(
    "429006199", "东镇", ((113.1, 30.0), (113.2, 30.0), (113.2, 30.1), (113.1, 30.1))
)
SMALL = Jurisdiction("429006300", "小镇", ((113.01, 30.01), (113.03, 30.01), (113.03, 30.03)))


def test_a_point_on_the_edge_two_townships_share_goes_to_the_lower_code_whatever_the_order() -> (
    None
):
    for order in ((WEST, EAST), (EAST, WEST)):
        table = JurisdictionTable("t-2", county="429006", townships=order)
        assert table.owner(30.05, 113.1) == "429006199"
        assert table.owner(30.05, 113.05) == "429006200"  # inside only the west


def test_inside_two_overlapping_townships_the_smaller_wins() -> None:
    table = JurisdictionTable("t-3", county="429006", townships=(WEST, SMALL))
    assert table.owner(30.015, 113.025) == "429006300"
    assert table.owner(30.09, 113.02) == "429006200"


def test_the_registry_jurisdiction_data_routes_a_point_to_the_township_that_owns_it() -> None:
    table = jurisdictions.load()
    assert table.county == "429006" and len(table.townships) == 28
    assert table.version.startswith("jurisdictions/")
    assert table.owner(30.655, 113.155) == "429006001"  # inside 竟陵街道 only
    assert table.owner(30.625, 113.15) == "429006001"  # on its southern edge
    assert table.owner(31.5, 112.0) == "429006"  # outside every township: the county


def test_routing_sets_the_assignment_deadline_and_names_the_boundaries_it_used() -> None:
    table = jurisdictions.load()
    routed = route("t", 30.655, 113.155, table, now=T0, assign_within=timedelta(hours=8))
    assert (routed.jurisdiction, routed.assign_by) == ("429006001", T0 + timedelta(hours=8))
    assert routed.rules_version == table.version


def a_tip(tip_id: str, **changes: object) -> Tip:
    tip = Tip(
        tip_id=tip_id,
        category=TipCategory.NIGHT_WORK,
        description="d",
        latitude=30.66,
        longitude=113.16,
        photo_urls=(),
        anonymous=True,
        has_contact=False,
        status=TipStatus.SUBMITTED,
        submitted_at=T0,
    )
    return replace(tip, **changes)  # type: ignore[arg-type]


RULES = DuplicateRules(radius_m=200, window=timedelta(hours=24))


def test_one_degree_of_latitude_is_about_111_km() -> None:
    assert 111_000 < distance_m((30.0, 113.0), (31.0, 113.0)) < 111_400


def test_same_category_near_in_place_and_time_is_suggested_nearest_first() -> None:
    new = a_tip("new")
    near = a_tip("near", latitude=30.6605)  # ~55 m
    nearer = a_tip("nearer", latitude=30.6601)  # ~11 m
    assert similar(new, [near, nearer], RULES) == ["nearer", "near"]


def test_other_category_far_place_late_time_or_closed_tips_are_not_suggested() -> None:
    new = a_tip("new")
    others = [
        a_tip("other-kind", category=TipCategory.DUST_AND_NOISE),
        a_tip("far", latitude=30.663),  # ~330 m
        a_tip("later", submitted_at=T0 + timedelta(hours=25)),
        a_tip("closed", status=TipStatus.CLOSED),
        new,
    ]
    assert similar(new, others, RULES) == []
