"""What a location's additional items say about the machine: the fuel in the tank (0x02,
1/10 L, §8.18 table 27), and the engine hours and engine number, which JT/T 808-2019 leaves to
the maker's custom items (0xE0-0xFF): which ids a fleet's terminals use is configured
(`ItemIds`, from `JT808_ENGINE_HOURS_ITEM` / `JT808_ENGINE_NUMBER_ITEM`).

Parsing is strict: an item of the wrong length, or an engine number that is not a short GBK
text, is ignored and counted (`tianmen_jt808_items_ignored_total`); the report is still
accepted with what else it says. Nothing here raises.
"""

from __future__ import annotations

from dataclasses import dataclass

from tianmen_telemetry.jt808.messages.location import FUEL, Location
from tianmen_telemetry.jt808.metrics import item_ignored

ENGINE_HOURS = 0xE0  # DWORD, 1/10 h (the default; `ItemIds`)
ENGINE_NUMBER = 0xE1  # STRING (GBK), the engine's stamped number (the default; `ItemIds`)
CUSTOM = range(0xE0, 0x100)
MAX_ENGINE_NUMBER = 64  # characters, as the HTTP report's `engine_number`


@dataclass(frozen=True)
class ItemIds:
    """The custom item ids of the engine hours and the engine number (None: not read)."""

    engine_hours: int | None = ENGINE_HOURS
    engine_number: int | None = ENGINE_NUMBER


Readings = tuple[float | None, float | None, str | None]
"""(fuel litres, engine hours, engine number): a plain tuple, built for every report."""
NOTHING: Readings = (None, None, None)
DEFAULT_IDS = ItemIds()


def readings(location: Location, ids: ItemIds) -> Readings:
    """The readings of the items `ids` names, and of the fuel; the others are left alone."""
    if not location.items:
        return NOTHING
    fuel = hours = number = None
    hours_id, number_id = ids.engine_hours, ids.engine_number
    for item_id, raw in location.items:
        if item_id == FUEL:
            fuel = _tenths(raw, 2, item_id)
        elif item_id == hours_id:
            hours = _tenths(raw, 4, item_id)
        elif item_id == number_id:
            number = _text(raw, item_id)
    return fuel, hours, number


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
