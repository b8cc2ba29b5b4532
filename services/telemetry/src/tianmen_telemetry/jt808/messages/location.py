"""Location report 0x0200 (§8.18): 28 bytes of basic information, then additional items.

Basic: alarm DWORD, status DWORD, latitude DWORD and longitude DWORD (degrees × 10^6, sign in
status bits 2/3), altitude WORD (m), speed WORD (1/10 km/h), direction WORD (0–359, north = 0),
time BCD[6] (YYMMDDhhmmss, GMT+8). Each additional item: id BYTE, length BYTE, value.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import datetime

from tianmen_telemetry.jt808.errors import ProtocolError, Truncated
from tianmen_telemetry.jt808.messages.flags import Alarm, Status
from tianmen_telemetry.jt808.wire import dword, time_decode, time_encode, word

MILEAGE = 0x01  # DWORD, 1/10 km
FUEL = 0x02  # WORD, 1/10 L
RECORDER_SPEED = 0x03  # WORD, 1/10 km/h (from the driving recorder)
SIGNAL_STRENGTH = 0x30  # BYTE
SATELLITES = 0x31  # BYTE
CUSTOM_LENGTH = 0xE0  # the length of the custom information that follows (table 27); not a reading
# alarm, status, latitude, longitude DWORD; altitude, speed, direction WORD; time BCD[6]
_BASIC = struct.Struct(">IIIIHHH6s")
_SOUTH, _WEST = int(Status.SOUTH), int(Status.WEST)  # plain ints: `&` on the flag makes one


@dataclass(frozen=True)
class Location:
    alarm: Alarm
    status: Status
    latitude_e6: int  # unsigned: degrees × 10^6; south when `status` has SOUTH
    longitude_e6: int
    altitude_m: int
    speed_dkmh: int  # 1/10 km/h
    direction: int
    time: datetime  # GMT+8 as the terminal sent it
    items: tuple[tuple[int, bytes], ...] = ()

    @property
    def latitude(self) -> float:
        return (-1 if int(self.status) & _SOUTH else 1) * self.latitude_e6 / 1e6

    @property
    def longitude(self) -> float:
        return (-1 if int(self.status) & _WEST else 1) * self.longitude_e6 / 1e6

    def item(self, item_id: int) -> bytes | None:
        return next((value for i, value in self.items if i == item_id), None)

    @property
    def mileage_km(self) -> float | None:
        raw = self.item(MILEAGE)
        return None if raw is None else _unsigned(raw, 4, "mileage") / 10

    @property
    def fuel_litres(self) -> float | None:
        raw = self.item(FUEL)
        return None if raw is None else _unsigned(raw, 2, "fuel") / 10

    def encode(self) -> bytes:
        basic = dword(self.alarm) + dword(self.status) + dword(self.latitude_e6)
        basic += dword(self.longitude_e6) + word(self.altitude_m) + word(self.speed_dkmh)
        basic += word(self.direction) + time_encode(self.time)
        return basic + b"".join(bytes([i, len(v)]) + v for i, v in self.items)

    @classmethod
    def decode(cls, body: bytes) -> Location:
        if len(body) < _BASIC.size:
            raise Truncated(f"location: {len(body)} bytes, the basic information needs 28")
        alarm, status, lat, lon, altitude, speed, direction, raw_time = _BASIC.unpack_from(body)
        if lat > 90_000_000 or lon > 180_000_000:
            raise ProtocolError(f"location: latitude {lat} / longitude {lon} out of range")
        time = time_decode(raw_time, "time")
        items = _items(body, _BASIC.size)
        return cls(Alarm(alarm), Status(status), lat, lon, altitude, speed, direction, time, items)


def _items(body: bytes, at: int) -> tuple[tuple[int, bytes], ...]:
    """The additional items from offset `at` to the end of the body."""
    items = []
    end = len(body)
    while at < end:
        if at + 2 > end:
            raise Truncated(f"location additional items: item header needs 2 bytes at offset {at}")
        item_id, size = body[at], body[at + 1]
        if at + 2 + size > end:
            raise Truncated(f"location additional items: item 0x{item_id:02x} needs {size} bytes")
        items.append((item_id, body[at + 2 : at + 2 + size]))
        at += 2 + size
    return tuple(items)


def _unsigned(raw: bytes, size: int, field: str) -> int:
    if len(raw) != size:
        raise ProtocolError(f"{field}: {len(raw)} bytes, expected {size}")
    value: int = struct.unpack(">I" if size == 4 else ">H", raw)[0]
    return value
