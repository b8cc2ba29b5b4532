"""Intake rules: each refusal names the field at fault."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tianmen_events.errors import DomainError
from tianmen_events.reports import TipCategory
from tianmen_reports.domain.commands import Contact, SubmitTip
from tianmen_reports.domain.rules import Area, TipRules, check

RULES = TipRules()
TIANMEN = (30.66, 113.17)


def a_tip(**changes: object) -> SubmitTip:
    tip = SubmitTip(
        tip_id="tip-1",
        category=TipCategory.NIGHT_WORK,
        description="凌晨两点挖掘机还在施工",
        latitude=TIANMEN[0],
        longitude=TIANMEN[1],
        anonymous=False,
        photo_urls=("https://img.example.cn/1.jpg",),
        contact=Contact(name="张三", phone="13812345678"),
    )
    return replace(tip, **changes)  # type: ignore[arg-type]


def refused_field(tip: SubmitTip, rules: TipRules = RULES) -> str | None:
    with pytest.raises(DomainError) as refused:
        check(tip, rules)
    return refused.value.field


def test_a_complete_tip_passes() -> None:
    check(a_tip(), RULES)


def test_an_anonymous_tip_without_contact_passes() -> None:
    check(a_tip(anonymous=True, contact=None), RULES)


@pytest.mark.parametrize("text", ["", "   \n "])
def test_blank_description_is_refused(text: str) -> None:
    assert refused_field(a_tip(description=text)) == "description"


def test_description_of_2000_characters_passes_and_2001_is_refused() -> None:
    check(a_tip(description="挖" * 2000), RULES)
    assert refused_field(a_tip(description="挖" * 2001)) == "description"


@pytest.mark.parametrize("latitude", [91.0, -91.0, 0.0, 60.0, float("nan")])
def test_latitude_outside_the_area_is_refused(latitude: float) -> None:
    assert refused_field(a_tip(latitude=latitude)) == "latitude"


@pytest.mark.parametrize("longitude", [181.0, 0.0, 140.0, float("inf")])
def test_longitude_outside_the_area_is_refused(longitude: float) -> None:
    assert refused_field(a_tip(longitude=longitude)) == "longitude"


def test_a_deployment_can_narrow_the_area_to_its_jurisdiction() -> None:
    tianmen = TipRules(area=Area(south=30.3, west=112.5, north=31.0, east=113.5))
    check(a_tip(), tianmen)
    assert refused_field(a_tip(latitude=39.9, longitude=116.4), tianmen) == "latitude"


def test_nine_photos_pass_and_ten_are_refused() -> None:
    check(a_tip(photo_urls=("http://x.cn/p.jpg",) * 9), RULES)
    assert refused_field(a_tip(photo_urls=("http://x.cn/p.jpg",) * 10)) == "photo_urls"


@pytest.mark.parametrize(
    "url", ["ftp://x.cn/p.jpg", "javascript:alert(1)", "https://", "p.jpg", "https://x.cn/a b"]
)
def test_a_photo_that_is_not_an_http_url_is_refused_by_index(url: str) -> None:
    urls = ("https://x.cn/ok.jpg", url)
    assert refused_field(a_tip(photo_urls=urls)) == "photo_urls.1"


def test_an_anonymous_tip_with_a_contact_is_refused() -> None:
    assert refused_field(a_tip(anonymous=True)) == "contact"


def test_a_contact_with_neither_name_nor_phone_is_refused() -> None:
    assert refused_field(a_tip(contact=Contact())) == "contact"


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "138123456789", "+8613812345678"])
def test_a_phone_that_is_not_a_chinese_mobile_is_refused(phone: str) -> None:
    assert refused_field(a_tip(contact=Contact(phone=phone))) == "contact.phone"


def test_the_phone_refusal_does_not_echo_the_number() -> None:
    with pytest.raises(DomainError) as refused:
        check(a_tip(contact=Contact(phone="12812345678")), RULES)
    assert "12812345678" not in str(refused.value)


def test_a_contact_name_alone_passes_but_a_blank_one_is_refused() -> None:
    check(a_tip(contact=Contact(name="李四")), RULES)
    assert refused_field(a_tip(contact=Contact(name="  "))) == "contact.name"


def test_the_contact_never_shows_in_a_command_repr() -> None:
    assert "13812345678" not in repr(a_tip())
    assert "13812345678" not in repr(Contact(name="张三", phone="13812345678"))
