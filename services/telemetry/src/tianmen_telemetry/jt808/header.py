"""The message header (§4.4.3), in its 2013 and 2019 forms.

| field | 2013 | 2019 |
|---|---|---|
| message id | WORD | WORD |
| body attributes | WORD: bits 0–9 length, 10–12 encryption, 13 sub-package, 14–15 reserved | bit 14 = version flag (1) |
| protocol version | — | BYTE (1 for 2019) |
| terminal phone number | BCD[6] | BCD[10] |
| message serial number | WORD | WORD |
| package item (if bit 13) | total WORD, index WORD (from 1) | same |
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import lru_cache

from tianmen_telemetry.jt808.errors import BodyLengthMismatch, ProtocolError, Truncated
from tianmen_telemetry.jt808.wire import bcd_decode, bcd_encode

LENGTH_MASK = 0x03FF
ENCRYPTION_MASK = 0x1C00
RSA = 0x0400
SUBPACKAGE = 0x2000
VERSION_FLAG = 0x4000
MAX_BODY = LENGTH_MASK


@dataclass(frozen=True)
class Package:
    total: int
    index: int


@dataclass(frozen=True)
class Header:
    message_id: int
    phone: str
    serial: int
    protocol_version: int | None = None  # None: the 2013 header; 1: JT/T 808-2019
    body_length: int = 0
    encryption: int = 0
    package: Package | None = None

    @property
    def is_2019(self) -> bool:
        return self.protocol_version is not None

    @property
    def terminal_id(self) -> str:
        """The suite's terminal id: the phone number without its BCD padding (≥ 11 digits)."""
        return self.phone.lstrip("0").zfill(11)


_FIXED_2019 = struct.Struct(">HHB10sH")  # message id, attributes, version, phone, serial
_FIXED_2013 = struct.Struct(">HH6sH")
_PACKAGE = struct.Struct(">HH")


def parse(message: bytes) -> tuple[Header, bytes]:
    """Header + body (check code already removed) → the header and the body.

    One `struct` read of the fixed part (it runs for every message a terminal sends)."""
    if len(message) < 4:
        raise Truncated(f"header: {len(message)} bytes, the message id and attributes need 4")
    attributes = message[2] << 8 | message[3]
    version: int | None
    if attributes & VERSION_FLAG:
        if len(message) < _FIXED_2019.size:
            raise Truncated(f"header: {len(message)} bytes, the 2019 header needs 17")
        message_id, _, version, raw_phone, serial = _FIXED_2019.unpack_from(message)
        at = _FIXED_2019.size
    else:
        if len(message) < _FIXED_2013.size:
            raise Truncated(f"header: {len(message)} bytes, the 2013 header needs 12")
        message_id, _, raw_phone, serial = _FIXED_2013.unpack_from(message)
        version, at = None, _FIXED_2013.size
    phone = bcd_decode(raw_phone, "phone")
    package = None
    if attributes & SUBPACKAGE:
        if len(message) < at + _PACKAGE.size:
            raise Truncated(f"header: the package item needs 4 bytes at offset {at}")
        total, index = _PACKAGE.unpack_from(message, at)
        package, at = Package(total=total, index=index), at + _PACKAGE.size
        if not 1 <= index <= total:
            raise ProtocolError(f"package index {index} outside 1..{total}")
    body = message[at:]
    if len(body) != attributes & LENGTH_MASK:
        raise BodyLengthMismatch(f"attributes say {attributes & LENGTH_MASK}, body has {len(body)}")
    encryption = attributes & ENCRYPTION_MASK
    return Header(message_id, phone, serial, version, len(body), encryption, package), body


def build(header: Header, body: bytes) -> bytes:
    """The header for `body` (its length and flags computed) followed by the body."""
    if len(body) > MAX_BODY:
        raise ValueError(f"body of {len(body)} bytes exceeds {MAX_BODY}; send it in packages")
    attributes = len(body) | header.encryption
    if header.package is not None:
        attributes |= SUBPACKAGE
    if header.protocol_version is not None:
        attributes |= VERSION_FLAG
        phone = phone_bcd(header.phone, 10)
        out = _FIXED_2019.pack(
            header.message_id, attributes, header.protocol_version, phone, header.serial
        )
    else:
        out = _FIXED_2013.pack(
            header.message_id, attributes, phone_bcd(header.phone, 6), header.serial
        )
    if header.package is not None:
        out += _PACKAGE.pack(header.package.total, header.package.index)
    return out + body


@lru_cache(maxsize=65_536)
def phone_bcd(phone: str, size: int) -> bytes:
    """A phone as BCD[size]: kept, a session sends every answer to the same phone."""
    return bcd_encode(phone, size)
