"""What a location's additional items say about the machine: the mileage (0x01, 1/10 km) and
the fuel in the tank (0x02, 1/10 L, §8.18 table 27), and the engine hours and engine number,
which JT/T 808 (2013 and 2019) leaves to the maker's custom area (0xE1-0xFF): which ids a
fleet's terminals use is configured (`ItemIds`, from `JT808_ENGINE_HOURS_ITEM` /
`JT808_ENGINE_NUMBER_ITEM`). Table 27 reserves 0xE0 itself as "the length of the custom
information that follows" (后续自定义信息长度): it says how much custom area follows, never a
reading, so it is not a configurable id and is passed over (decision 116). Some terminals nest
the custom items inside it instead (0xE0, LEN, then LEN bytes of id/len/value items): a value
whose first byte is a custom id (0xE1-0xFF) and that is longer than one byte cannot be a length
(a length of 0xE1.. in two or more bytes is past any message body, at most 1,023 bytes), so it
is read as nested items, from which the configured items are read as if they followed 0xE0
(decision 120). A nesting that does not parse exactly (an id outside 0xE1-0xFF, a length
past the value's end) is ignored and counted as a malformed 0xE0.

Parsing is strict: an item of the wrong length, or an engine number that is not a short GBK
text, is ignored and counted (`tianmen_jt808_items_ignored_total`); the report is still
accepted with what else it says. Nothing here raises.
"""

from __future__ import annotations

from dataclasses import dataclass

from tianmen_telemetry.jt808.messages.location import CUSTOM_LENGTH, FUEL, MILEAGE, Location
from tianmen_telemetry.jt808.metrics import item_ignored

ENGINE_HOURS = 0xE1  # DWORD, 1/10 h (the default; `ItemIds`)
ENGINE_NUMBER = 0xE2  # STRING (GBK), the engine's stamped number (the default; `ItemIds`)
CUSTOM = range(0xE1, 0x100)  # table 27's custom area (0xE0 is the length of what follows)
MAX_ENGINE_NUMBER = 64  # characters, as the HTTP report's `engine_number`


@dataclass(frozen=True)
class ItemIds:
    """The custom item ids of the engine hours and the engine number (None: not read)."""

    engine_hours: int | None = ENGINE_HOURS
    engine_number: int | None = ENGINE_NUMBER

    def __post_init__(self) -> None:
        if any(i is not None and i not in CUSTOM for i in (self.engine_hours, self.engine_number)):
            raise ValueError("a custom item id is 0xE1-0xFF (0xE0 is the custom length)")


Readings = tuple[float | None, float | None, float | None, str | None]
"""(mileage km, fuel litres, engine hours, engine number): a plain tuple, built for every
report."""
NOTHING: Readings = (None, None, None, None)
DEFAULT_IDS = ItemIds()


def readings(location: Location, ids: ItemIds) -> Readings:
    """The readings of the items `ids` names, and of the mileage and the fuel; the others are
    left alone. 0xE0, the custom length, is passed over, unless its value is the custom items
    nested (`_nested`): those are read in its place."""
    if not location.items:
        return NOTHING
    mileage = fuel = hours = number = None
    hours_id, number_id = ids.engine_hours, ids.engine_number
    for item_id, raw in location.items:
        if item_id == MILEAGE:
            mileage = _tenths(raw, 4, item_id)
        elif item_id == FUEL:
            fuel = _tenths(raw, 2, item_id)
        elif item_id == hours_id:
            hours = _tenths(raw, 4, item_id)
        elif item_id == number_id:
            number = _text(raw, item_id)
        elif item_id == CUSTOM_LENGTH and len(raw) > 1 and raw[0] in CUSTOM:
            for inner_id, inner in _nested(raw):
                if inner_id == hours_id:
                    hours = _tenths(inner, 4, inner_id)
                elif inner_id == number_id:
                    number = _text(inner, inner_id)
    return mileage, fuel, hours, number


def _nested(value: bytes) -> list[tuple[int, bytes]]:
    """0xE0's value as custom items, each id 0xE1-0xFF and their lengths filling the value
    exactly; none, counted as a malformed 0xE0, when it is not."""
    items = []
    at, end = 0, len(value)
    while at < end:
        if at + 2 > end or value[at] not in CUSTOM or at + 2 + value[at + 1] > end:
            item_ignored(CUSTOM_LENGTH).inc()
            return []
        size = value[at + 1]
        items.append((value[at], value[at + 2 : at + 2 + size]))
        at += 2 + size
    return items


def _tenths(raw: bytes, size: int, item_id: int) -> float | None:
    if len(raw) != size:
        item_ignored(item_id).inc()
        return None
    return int.from_bytes(raw, "big") / 10


def _text(raw: bytes, item_id: int) -> str | None:
    """A STRING item: GBK, up to a 0 terminator; printable, 1 to 64 characters."""
    try:
        text = raw.split(b"\x00", 1)[0].decode("gbk").strip()
    except UnicodeDecodeError:
        item_ignored(item_id).inc()
        return None
    if not 0 < len(text) <= MAX_ENGINE_NUMBER or not text.isprintable():
        item_ignored(item_id).inc()
        return None
    return text


def _ignored(item_id: int) -> None:
    item_ignored(item_id).inc()
    return None
