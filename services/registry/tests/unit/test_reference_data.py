"""The shipped reference data holds together: tiers, codes, boundaries, divisions."""

from __future__ import annotations

import pytest
from tianmen_events.errors import DomainError
from tianmen_registry.domain.jurisdictions import Tier

from .reference_data import DIVISIONS, JURISDICTIONS

TOWNS = [
    "竟陵街道",
    "杨林街道",
    "侨乡街道开发区",
    "岳口镇",
    "多宝镇",
    "拖市镇",
    "张港镇",
    "蒋场镇",
    "汪场镇",
    "渔薪镇",
    "黄潭镇",
    "横林镇",
    "彭市镇",
    "麻洋镇",
    "多祥镇",
    "干驿镇",
    "马湾镇",
    "卢市镇",
    "小板镇",
    "九真镇",
    "皂市镇",
    "胡市镇",
    "石家河镇",
    "佛子山镇",
    "净潭乡",
]


def test_every_named_town_is_a_township_under_a_station_under_the_city() -> None:
    by_name = {j.name: j for j in JURISDICTIONS.by_code.values()}
    for town in TOWNS:
        chain = JURISDICTIONS.chain(by_name[town].code)
        assert [j.tier for j in chain] == [Tier.TOWNSHIP, Tier.STATION, Tier.CITY], town
        assert chain[-1].code == "429006"


def test_township_codes_are_tianmen_statistical_codes_with_closed_boundaries() -> None:
    townships = [j for j in JURISDICTIONS.by_code.values() if j.tier is Tier.TOWNSHIP]
    for township in townships:
        assert len(township.code) == 9 and township.code.startswith("429006"), township
        assert len(township.boundary) >= 4 and township.boundary[0] == township.boundary[-1]


def test_every_station_has_townships() -> None:
    for station in JURISDICTIONS.children("429006"):
        assert JURISDICTIONS.children(station.code), station


@pytest.mark.parametrize(
    ("code", "name"),
    [("429006", "天门市"), ("420000", "湖北省"), ("420984", "汉川市"), ("440300", "广东省")],
)
def test_division_codes_resolve(code: str, name: str) -> None:
    assert DIVISIONS.name_of(code) == name


@pytest.mark.parametrize("code", ["429099", "000000", "990000", "420199"])
def test_codes_that_are_no_division_are_refused(code: str) -> None:
    with pytest.raises(DomainError):
        DIVISIONS.name_of(code)
