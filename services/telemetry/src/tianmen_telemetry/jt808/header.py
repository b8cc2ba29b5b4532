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

from dataclasses import dataclass

from tianmen_telemetry.jt808.errors import BodyLengthMismatch, ProtocolError
from tianmen_telemetry.jt808.wire import Reader, bcd_decode, bcd_encode, word

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


def parse(message: bytes) -> tuple[Header, bytes]:
    """Header + body (check code already removed) → the header and the body."""
    r = Reader(message, "header")
    message_id, attributes = r.word("message id"), r.word("body attributes")
    version = r.byte("protocol version") if attributes & VERSION_FLAG else None
    phone = bcd_decode(r.take(10 if version is not None else 6, "phone"), "phone")
    serial = r.word("serial number")
    package = None
    if attributes & SUBPACKAGE:
        package = Package(total=r.word("package total"), index=r.word("package index"))
        if not 1 <= package.index <= package.total:
            raise ProtocolError(f"package index {package.index} outside 1..{package.total}")
    body = r.rest()
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
    out = word(header.message_id) + word(attributes)
    if header.protocol_version is not None:
        out += bytes([header.protocol_version]) + bcd_encode(header.phone, 10)
    else:
        out += bcd_encode(header.phone, 6)
    out += word(header.serial)
    if header.package is not None:
        out += word(header.package.total) + word(header.package.index)
    return out + body
