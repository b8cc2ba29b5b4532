"""What a JT/T 808 location's additional items say reaches the report: the mileage (0x01), the
fuel in litres (0x02), the engine hours and engine number from the configured custom items
(0xE1-0xFF); table 27's 0xE0 (the length of the custom information that follows) is never a
reading; a malformed item is ignored and counted, and the report is still made."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tianmen_telemetry.domain.commands import Report
from tianmen_telemetry.jt808.convert import to_report
from tianmen_telemetry.jt808.items import DEFAULT_IDS, ItemIds, readings
from tianmen_telemetry.jt808.messages.location import Location

from .server_fixtures import counted

# A 0x0200 body as a terminal sends it: ACC on and positioned at 30.6531 N 113.1661 E,
# 2026-05-12 07:00 (GMT+8); items 0x01 mileage 1234.5 km, 0x02 fuel 312.5 L,
# 0xE0 custom length 18 (the two custom items that follow, 6 + 12 bytes), 0xE1 engine hours
# 1532.5 h, 0xE2 engine number "WP7.240E51".
BODY = bytes.fromhex(
    "00000000"
    "00000003"
    "01d3baac"
    "06bec714"
    "001e"
    "0000"
    "0000"
    "260512070000"
    "0104"
    "00003039"
    "0202"
    "0c35"
    "e001"
    "12"
    "e104"
    "00003bdd"
    "e20a"
    "5750372e323430453531"
)
TERMINAL = "13912345678"


def _report(body: bytes, ids: ItemIds = DEFAULT_IDS) -> Report:
    report = to_report(TERMINAL, Location.decode(body), ids)
    assert report is not None
    return report


def _ignored(item: str) -> float:
    return counted("tianmen_jt808_items_ignored_total", item=item)


def test_mileage_fuel_engine_hours_and_engine_number_items_become_the_reports_fields() -> None:
    report = _report(BODY)
    assert (report.mileage_km, report.fuel_litres, report.engine_hours, report.engine_number) == (
        1234.5,
        312.5,
        1532.5,
        "WP7.240E51",
    )
    assert report.fuel_level_pct is None  # litres: the server levels them with the tank
    assert (report.latitude, report.longitude, report.working) == (30.6531, 113.1661, True)


def test_the_custom_item_ids_are_the_configured_ones() -> None:
    swapped = BODY.replace(bytes([0xE1, 4]), bytes([0xF3, 4]))
    assert _report(swapped).engine_hours is None  # 0xF3 is not the default's item
    assert _report(swapped, ItemIds(engine_hours=0xF3)).engine_hours == 1532.5
    assert _report(BODY, ItemIds(engine_number=None)).engine_number is None


@pytest.mark.parametrize(
    ("item", "bad", "field"),
    [
        ("0x01", bytes.fromhex("0103003039"), "mileage_km"),  # mileage is a DWORD
        ("0x02", bytes.fromhex("02030c3500"), "fuel_litres"),  # fuel is a WORD
        ("0xe1", bytes.fromhex("e1023bdd"), "engine_hours"),  # engine hours a DWORD
        ("0xe2", bytes.fromhex("e202ffff"), "engine_number"),  # not GBK
        ("0xe2", bytes.fromhex("e2020000"), "engine_number"),  # empty
        ("0xe2", bytes.fromhex("e203410a42"), "engine_number"),  # a control character
    ],
)
def test_a_malformed_item_is_ignored_and_counted_and_the_report_still_made(
    item: str, bad: bytes, field: str
) -> None:
    before = _ignored(item)
    report = _report(BODY[:28] + bad)
    assert getattr(report, field) is None
    assert _ignored(item) == before + 1
    assert report.working  # the rest of the report as sent


def test_lawful_twin_well_formed_items_count_nothing_ignored() -> None:
    items = ("0x01", "0x02", "0xe0", "0xe1", "0xe2")
    before = [_ignored(i) for i in items]
    _report(BODY)
    assert [_ignored(i) for i in items] == before


def test_an_engine_number_in_gbk_up_to_its_terminator_is_read() -> None:
    text = "玉柴YC6J".encode("gbk") + b"\x00\x00"
    body = BODY[:28] + bytes([0xE2, len(text)]) + text
    assert _report(body).engine_number == "玉柴YC6J"


def test_a_location_without_items_reads_nothing() -> None:
    location = replace(Location.decode(BODY), items=())
    assert readings(location, ItemIds()) == readings(location, ItemIds(None, None))
    assert to_report(TERMINAL, location) is not None


def test_a_standard_0xe0_item_is_the_custom_length_never_the_engine_hours() -> None:
    """Given a terminal that sends table 27's 0xE0 as a DWORD-long item (a length of the
    custom information that follows, here 0x00003bdd), when the server reads it with its
    default items, then no engine hours come of it (main read 1532.5 h), nothing is counted
    as malformed, and the readings after it are read."""
    body = BODY[:28] + bytes.fromhex("e00400003bdd") + bytes.fromhex("0104") + bytes(4)
    before = _ignored("0xe0")
    report = _report(body)
    assert (report.engine_hours, report.mileage_km) == (None, 0.0)
    assert _ignored("0xe0") == before


def test_lawful_twin_the_engine_hours_in_the_custom_area_after_0xe0_are_read() -> None:
    body = BODY[:28] + bytes.fromhex("e00106") + bytes.fromhex("e10400003bdd")
    assert _report(body).engine_hours == 1532.5


@pytest.mark.parametrize("wrong", [0xE0, 0x01, 0x100])
def test_0xe0_and_the_standards_items_are_no_custom_item_id(wrong: int) -> None:
    with pytest.raises(ValueError, match="0xE1-0xFF"):
        ItemIds(engine_hours=wrong)


def test_a_mileage_item_is_the_location_codecs_dword_of_tenths_of_a_km() -> None:
    """Byte vector: 0x01, length 4, 0x00003039 = 12345 tenths = 1234.5 km; the codec encodes
    the decoded location back to the same bytes."""
    location = Location.decode(BODY)
    assert location.item(0x01) == bytes.fromhex("00003039")
    assert location.mileage_km == 1234.5
    assert location.encode() == BODY


# The same custom items nested inside 0xE0, as some terminals send them: 0xE0, length 18, then
# 0xE1 engine hours 1532.5 h (6 bytes) and 0xE2 engine number "WP7.240E51" (12 bytes).
NESTED = (
    bytes.fromhex("e012")
    + bytes.fromhex("e10400003bdd")
    + bytes.fromhex("e20a5750372e323430453531")
)


def test_custom_items_nested_inside_0xe0_are_read_as_if_they_followed_it() -> None:
    """Given a terminal that nests its custom items in 0xE0's value (main read none of them),
    when the server reads the report, then the engine hours and number are the nested ones,
    the mileage and fuel before them are read too, and nothing is counted as malformed."""
    body = BODY[:28] + bytes.fromhex("0104 00003039 0202 0c35") + NESTED
    before = [_ignored(i) for i in ("0xe0", "0xe1", "0xe2")]
    report = _report(body)
    assert (report.mileage_km, report.fuel_litres, report.engine_hours, report.engine_number) == (
        1234.5,
        312.5,
        1532.5,
        "WP7.240E51",
    )
    assert [_ignored(i) for i in ("0xe0", "0xe1", "0xe2")] == before


def test_nested_custom_items_are_the_configured_ids() -> None:
    body = BODY[:28] + bytes.fromhex("e006 f304 00003bdd")
    assert _report(body).engine_hours is None  # 0xF3 is not the default's item
    assert _report(body, ItemIds(engine_hours=0xF3)).engine_hours == 1532.5
    assert _report(BODY[:28] + NESTED, ItemIds(engine_number=None)).engine_number is None


@pytest.mark.parametrize(
    "length",
    [
        "e00112",  # one byte: the length of the custom items that follow (as BODY)
        "e0020012",  # a WORD length
        "e00400000012",  # a DWORD length
        "e000",  # an empty value
        "e001e5",  # one byte at or above 0xE1 is still a length: no item fits in it
    ],
)
def test_a_0xe0_length_value_stays_the_plain_form_passed_over_uncounted(length: str) -> None:
    body = BODY[:28] + bytes.fromhex(length) + bytes.fromhex("e10400003bdd")
    before = _ignored("0xe0")
    assert _report(body).engine_hours == 1532.5  # the item after it, as before
    assert _ignored("0xe0") == before


@pytest.mark.parametrize(
    "nested",
    [
        "e005 e104 00003b",  # the engine hours' length runs past 0xE0's value
        "e007 e104 00003bdd e2",  # a byte left over: no room for an item's header
        "e008 e104 00003bdd 0100",  # a standard item (0x01) inside the custom area
        "e008 e104 00003bdd e000",  # 0xE0 inside itself
    ],
)
def test_a_malformed_nesting_in_0xe0_is_ignored_and_counted_and_the_report_still_made(
    nested: str,
) -> None:
    body = BODY[:28] + bytes.fromhex(nested) + bytes.fromhex("010400003039")
    before = _ignored("0xe0")
    report = _report(body)
    assert report.engine_hours is None  # nothing is read from a nesting that does not parse
    assert _ignored("0xe0") == before + 1
    assert (report.mileage_km, report.working) == (1234.5, True)


def test_a_malformed_item_nested_in_0xe0_is_counted_as_that_item() -> None:
    body = BODY[:28] + bytes.fromhex("e00a e102 3bdd e204 5943364a")
    before = (_ignored("0xe0"), _ignored("0xe1"))
    report = _report(body)
    assert (report.engine_hours, report.engine_number) == (None, "YC6J")
    assert (_ignored("0xe0"), _ignored("0xe1")) == (before[0], before[1] + 1)
