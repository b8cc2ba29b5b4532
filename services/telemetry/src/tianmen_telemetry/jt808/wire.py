"""JT/T 808 data types (§4.2): BYTE, WORD, DWORD big-endian, BCD[n], GBK STRING."""

from __future__ import annotations

import struct
from datetime import datetime, timedelta, timezone

from tianmen_telemetry.jt808.errors import ProtocolError, Truncated

# Terminal times are BCD[6] YYMMDDhhmmss in GMT+8 (Beijing time).
GMT8 = timezone(timedelta(hours=8), "GMT+8")
# The value of each BCD byte 0x00-0x99; -1 where a nibble is above 9.
_BCD_BYTE = [(b >> 4) * 10 + (b & 15) if b >> 4 < 10 and b & 15 < 10 else -1 for b in range(256)]


class Reader:
    """A cursor over a message body; reading past the end raises `Truncated`."""

    def __init__(self, data: bytes, what: str) -> None:
        self._data = data
        self._at = 0
        self._what = what

    def take(self, n: int, field: str) -> bytes:
        if self._at + n > len(self._data):
            raise Truncated(f"{self._what}: {field} needs {n} bytes at offset {self._at}")
        chunk = self._data[self._at : self._at + n]
        self._at += n
        return chunk

    def byte(self, field: str) -> int:
        return self.take(1, field)[0]

    def word(self, field: str) -> int:
        value: int = struct.unpack(">H", self.take(2, field))[0]
        return value

    def dword(self, field: str) -> int:
        value: int = struct.unpack(">I", self.take(4, field))[0]
        return value

    def rest(self) -> bytes:
        chunk = self._data[self._at :]
        self._at = len(self._data)
        return chunk

    @property
    def remaining(self) -> int:
        return len(self._data) - self._at


def word(value: int) -> bytes:
    return struct.pack(">H", value)


def dword(value: int) -> bytes:
    return struct.pack(">I", value)


def bcd_encode(digits: str, size: int) -> bytes:
    """Decimal digits as BCD[size], left-padded with zeros."""
    if not (digits.isascii() and digits.isdigit()) or len(digits) > size * 2:
        raise ValueError(f"{digits!r} is not at most {size * 2} decimal digits")
    return bytes.fromhex(digits.zfill(size * 2))


def bcd_decode(raw: bytes, field: str) -> str:
    text = raw.hex()
    if not text.isdigit():
        raise ProtocolError(f"{field}: {text} is not BCD")
    return text


def time_encode(moment: datetime) -> bytes:
    return bcd_encode(moment.astimezone(GMT8).strftime("%y%m%d%H%M%S"), 6)


def time_decode(raw: bytes, field: str) -> datetime:
    values = [_BCD_BYTE[b] for b in raw]  # every location carries one: no text in between
    if len(values) != 6 or -1 in values:
        bcd_decode(raw, field)  # raises for a nibble above 9
        raise ProtocolError(f"{field}: {raw.hex()} is not a time YYMMDDhhmmss")
    year, month, day, hour, minute, second = values
    try:
        return datetime(2000 + year, month, day, hour, minute, second, tzinfo=GMT8)
    except ValueError as exc:
        raise ProtocolError(f"{field}: {raw.hex()} is not a time YYMMDDhhmmss") from exc


def fixed_text(raw: bytes) -> str:
    """A BYTE[n] text field padded with 0x00 (manufacturer, model, terminal id)."""
    return raw.rstrip(b"\x00").decode("ascii", errors="replace")


def fixed_bytes(text: str, size: int) -> bytes:
    raw = text.encode("ascii")
    if len(raw) > size:
        raise ValueError(f"{text!r} is longer than {size} bytes")
    return raw.ljust(size, b"\x00")


def gbk(raw: bytes, field: str) -> str:
    try:
        return raw.decode("gbk")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"{field}: not GBK text") from exc
