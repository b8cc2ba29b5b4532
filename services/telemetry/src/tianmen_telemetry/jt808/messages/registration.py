"""Registration 0x0100 (§8.5), its response 0x8100 (§8.6), authentication 0x0102 (§8.8).

0x0100 body: province WORD, city/county WORD, manufacturer id BYTE[5|11], terminal model
BYTE[20|30], terminal id BYTE[7|30] (2013|2019, padded with 0x00), plate colour BYTE, plate
STRING (GBK; the VIN when the colour is 0). 0x8100 body: response serial WORD, result BYTE,
auth code STRING (only on success). 0x0102 body (2013): auth code STRING; (2019): auth code
length BYTE, auth code STRING, IMEI BYTE[15], software version BYTE[20].
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from tianmen_telemetry.jt808.wire import Reader, fixed_bytes, fixed_text, gbk, word

_SIZES_2013 = (5, 20, 7)  # manufacturer, model, terminal id
_SIZES_2019 = (11, 30, 30)


class RegistrationResult(IntEnum):
    SUCCESS = 0
    VEHICLE_ALREADY_REGISTERED = 1
    VEHICLE_NOT_IN_DATABASE = 2
    TERMINAL_ALREADY_REGISTERED = 3
    TERMINAL_NOT_IN_DATABASE = 4


@dataclass(frozen=True)
class Registration:
    province: int
    city: int
    manufacturer: str
    model: str
    device_id: str  # the "terminal id" field: the maker's device id, not the phone number
    plate_colour: int
    plate: str

    def encode(self, is_2019: bool) -> bytes:
        m, t, d = _SIZES_2019 if is_2019 else _SIZES_2013
        fixed = (
            fixed_bytes(self.manufacturer, m)
            + fixed_bytes(self.model, t)
            # 2013 devices use upper-case letters and digits; the field is BYTE[7].
            + fixed_bytes(self.device_id, d)
        )
        tail = bytes([self.plate_colour]) + self.plate.encode("gbk")
        return word(self.province) + word(self.city) + fixed + tail

    @classmethod
    def decode(cls, body: bytes, is_2019: bool) -> Registration:
        m, t, d = _SIZES_2019 if is_2019 else _SIZES_2013
        r = Reader(body, "registration")
        province, city = r.word("province"), r.word("city")
        manufacturer = fixed_text(r.take(m, "manufacturer id"))
        model = fixed_text(r.take(t, "terminal model"))
        device_id = fixed_text(r.take(d, "terminal id"))
        colour = r.byte("plate colour")
        return cls(province, city, manufacturer, model, device_id, colour, gbk(r.rest(), "plate"))


@dataclass(frozen=True)
class RegistrationResponse:
    serial: int
    result: int
    auth_code: str = ""

    def encode(self) -> bytes:
        code = self.auth_code.encode("gbk") if self.result == RegistrationResult.SUCCESS else b""
        return word(self.serial) + bytes([self.result]) + code

    @classmethod
    def decode(cls, body: bytes) -> RegistrationResponse:
        r = Reader(body, "registration response")
        serial, result = r.word("response serial"), r.byte("result")
        return cls(serial, result, gbk(r.rest(), "auth code"))


@dataclass(frozen=True)
class Authentication:
    auth_code: str
    imei: str = ""  # 2019 only
    software_version: str = ""  # 2019 only

    def encode(self, is_2019: bool) -> bytes:
        code = self.auth_code.encode("gbk")
        if not is_2019:
            return code
        rest = fixed_bytes(self.imei, 15) + fixed_bytes(self.software_version, 20)
        return bytes([len(code)]) + code + rest

    @classmethod
    def decode(cls, body: bytes, is_2019: bool) -> Authentication:
        if not is_2019:
            return cls(gbk(body, "auth code"))
        r = Reader(body, "authentication")
        code = gbk(r.take(r.byte("auth code length"), "auth code"), "auth code")
        imei = fixed_text(r.take(15, "IMEI"))
        return cls(code, imei, fixed_text(r.take(20, "software version")))
