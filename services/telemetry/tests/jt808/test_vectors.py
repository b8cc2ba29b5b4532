"""Byte-exact vectors written field by field from JT/T 808-2019's tables (and 2013's header).

Each vector lists its fields in wire order with a comment; check codes are the XOR of every
byte from the message id to the end of the body.
"""

from __future__ import annotations

from datetime import datetime

from tianmen_telemetry.jt808 import codec
from tianmen_telemetry.jt808.header import Header, Package
from tianmen_telemetry.jt808.messages.batch import BLIND_AREA, BatchLocation
from tianmen_telemetry.jt808.messages.flags import Alarm, Status
from tianmen_telemetry.jt808.messages.general import GeneralResponse, Result
from tianmen_telemetry.jt808.messages.location import Location
from tianmen_telemetry.jt808.messages.registration import (
    Authentication,
    Registration,
    RegistrationResponse,
    RegistrationResult,
)
from tianmen_telemetry.jt808.messages.text import TextMessage, urgent
from tianmen_telemetry.jt808.wire import GMT8


def hexbytes(*fields: str) -> bytes:
    return bytes.fromhex("".join(fields).replace(" ", ""))


PHONE_2013 = "013912345678"  # BCD[6]: 12 digits
PHONE_2019 = "00000000013912345678"  # BCD[10]: 20 digits

HEARTBEAT_2013 = hexbytes(
    "7e",  # flag
    "0002",  # message id: terminal heartbeat
    "0000",  # body attributes: length 0, no encryption, no package, version flag 0 (2013)
    "013912345678",  # phone number BCD[6]
    "0001",  # serial number 1
    "33",  # check code
    "7e",  # flag
)

HEARTBEAT_2019 = hexbytes(
    "7e",
    "0002",  # message id
    "4000",  # body attributes: bit 14 version flag = 1, length 0
    "01",  # protocol version 1 (JT/T 808-2019)
    "00000000013912345678",  # phone number BCD[10]
    "002a",  # serial number 42
    "59",  # check code
    "7e",
)

LOCATION_2019 = hexbytes(
    "7e",
    "0200",  # message id: location report
    "4026",  # attributes: version flag, body length 38 (28 basic + 6 + 4 items)
    "01",  # protocol version
    "00000000013912345678",  # phone
    "0007",  # serial number 7
    "00000100",  # alarm: bit 8 terminal main power cut
    "00000003",  # status: bit 0 ACC on, bit 1 positioned; north, east
    "01d3c9e8",  # latitude 30.657000° × 10^6
    "06bec6b0",  # longitude 113.166000° × 10^6
    "007d02",  # altitude 126 m = 0x007e, escaped 0x7e → 0x7d 0x02
    "007d01",  # speed 125 (12.5 km/h) = 0x007d, escaped 0x7d → 0x7d 0x01
    "005a",  # direction 90° (east)
    "260512233000",  # time BCD[6] 2026-05-12 23:30:00 GMT+8
    "01 04 00003039",  # item 0x01 mileage, 4 bytes: 12345 → 1234.5 km
    "02 02 01f4",  # item 0x02 fuel, 2 bytes: 500 → 50.0 L
    "ef",  # check code
    "7e",
)

PLATFORM_RESPONSE_2013 = hexbytes(
    "7e",
    "8001",  # platform general response
    "0005",  # body length 5
    "013912345678",  # phone
    "0000",  # platform serial 0
    "0007",  # answers serial 7
    "0200",  # answers message 0x0200
    "00",  # result 0: success
    "b1",  # check code
    "7e",
)

TERMINAL_RESPONSE_2019 = hexbytes(
    "7e",
    "0001",  # terminal general response
    "4005",  # version flag, length 5
    "01",
    "00000000013912345678",
    "0008",  # terminal serial 8
    "0003",  # answers platform serial 3
    "8300",  # answers the text message
    "00",  # result 0: success
    "fd",
    "7e",
)

TEXT_MESSAGE_2019 = hexbytes(
    "7e",
    "8300",  # text message
    "400a",  # version flag, length 10
    "01",
    "00000000013912345678",
    "0003",  # platform serial 3
    "0e",  # flag: bits 0-1 = 10 emergency, bit 2 terminal display, bit 3 TTS read aloud
    "01",  # text type 1: notice
    "cda3d6b9cab9d3c3",  # "停止使用" in GBK
    "96",
    "7e",
)

PACKAGE_2019 = hexbytes(
    "7e",
    "0704",  # message id: batch location upload
    "6004",  # attributes: bit 14 version flag, bit 13 sub-package, body length 4
    "01",  # protocol version
    "00000000013912345678",  # phone
    "0005",  # serial number 5
    "0002",  # package item: 2 packages in all
    "0001",  # this is package 1
    "00020100",  # its body: the first 4 bytes of the batch (2 items, blind-area data, ...)
    "53",  # check code
    "7e",
)


def test_heartbeat_2013_header_is_byte_exact() -> None:
    head = Header(0x0002, PHONE_2013, 1)
    assert codec.encode(head, b"") == HEARTBEAT_2013
    assert codec.decode(HEARTBEAT_2013[1:-1]) == (head, b"")
    assert head.terminal_id == "13912345678"


def test_heartbeat_2019_header_carries_version_and_ten_byte_phone() -> None:
    head = Header(0x0002, PHONE_2019, 42, protocol_version=1)
    assert codec.encode(head, b"") == HEARTBEAT_2019
    decoded, _ = codec.decode(HEARTBEAT_2019[1:-1])
    assert decoded.is_2019 and decoded.terminal_id == "13912345678"


def test_location_report_with_escaped_bytes_and_additional_items() -> None:
    head, body = codec.decode(LOCATION_2019[1:-1])
    location = Location.decode(body)
    assert (head.message_id, head.serial, head.body_length) == (0x0200, 7, 38)
    assert location.alarm == Alarm.POWER_CUT
    assert location.status == Status.ACC_ON | Status.POSITIONED
    assert (location.latitude, location.longitude) == (30.657, 113.166)
    assert (location.altitude_m, location.speed_dkmh, location.direction) == (126, 125, 90)
    assert location.time == datetime(2026, 5, 12, 23, 30, tzinfo=GMT8)
    assert (location.mileage_km, location.fuel_litres) == (1234.5, 50.0)
    assert codec.encode(head, location.encode()) == LOCATION_2019


def test_south_and_west_status_bits_sign_the_coordinates() -> None:
    body = hexbytes("00000000", "0000000e", "01d3c9e8", "06bec6b0", "0000" * 3, "260512233000")
    location = Location.decode(body)  # status 0x0e: positioned, south (bit 2), west (bit 3)
    assert (location.latitude, location.longitude) == (-30.657, -113.166)


def test_platform_general_response_2013() -> None:
    head = Header(0x8001, PHONE_2013, 0)
    response = GeneralResponse(serial=7, message_id=0x0200, result=Result.SUCCESS)
    assert codec.encode(head, response.encode()) == PLATFORM_RESPONSE_2013


def test_terminal_general_response_to_a_text_message() -> None:
    head, body = codec.decode(TERMINAL_RESPONSE_2019[1:-1])
    assert head.serial == 8
    assert GeneralResponse.decode(body) == GeneralResponse(3, 0x8300, Result.SUCCESS)


def test_text_message_2019_is_an_urgent_notice_displayed_and_read_aloud() -> None:
    head = Header(0x8300, PHONE_2019, 3, protocol_version=1)
    message = urgent("停止使用", is_2019=True)
    assert codec.encode(head, message.encode(is_2019=True)) == TEXT_MESSAGE_2019
    _, body = codec.decode(TEXT_MESSAGE_2019[1:-1])
    assert TextMessage.decode(body, is_2019=True) == message


def test_text_message_2013_has_no_text_type() -> None:
    body = hexbytes("0d", "cda3d6b9cab9d3c3")  # flag: emergency, display, TTS; then the text
    assert urgent("停止使用", is_2019=False).encode(is_2019=False) == body


REGISTRATION_2019_BODY = hexbytes(
    "002a",  # province 42 (Hubei)
    "0258",  # city/county 600
    "54494d454e" + "00" * 6,  # manufacturer id BYTE[11]: "TIMEN" + 0x00 padding
    "5a4a2d3830382d31" + "00" * 22,  # terminal model BYTE[30]: "ZJ-808-1"
    "4430303031" + "00" * 25,  # terminal id BYTE[30]: "D0001"
    "01",  # plate colour 1: blue
    "b6f5413132333435",  # plate "鄂A12345" in GBK
)


def test_registration_2019_body() -> None:
    registration = Registration(42, 600, "TIMEN", "ZJ-808-1", "D0001", 1, "鄂A12345")
    assert Registration.decode(REGISTRATION_2019_BODY, is_2019=True) == registration
    assert registration.encode(is_2019=True) == REGISTRATION_2019_BODY


def test_registration_2013_uses_the_shorter_fixed_fields() -> None:
    body = hexbytes(
        "002a", "0258",  # province, city
        "54494d454e",  # manufacturer BYTE[5]
        "5a4a2d3830382d31" + "00" * 12,  # model BYTE[20]
        "44303030310000",  # terminal id BYTE[7]
        "00",  # plate colour 0: not plated, so the plate field is the VIN
        "4c5a5a3132333435",  # "LZZ12345"
    )  # fmt: skip
    registration = Registration.decode(body, is_2019=False)
    assert (registration.model, registration.device_id) == ("ZJ-808-1", "D0001")
    assert registration.encode(is_2019=False) == body


def test_registration_response_carries_the_auth_code_only_on_success() -> None:
    ok = RegistrationResponse(serial=1, result=RegistrationResult.SUCCESS, auth_code="AB12")
    assert ok.encode() == hexbytes("0001", "00", "41423132")  # serial, result, "AB12"
    refused = RegistrationResponse(1, RegistrationResult.TERMINAL_NOT_IN_DATABASE, "AB12")
    assert refused.encode() == hexbytes("0001", "04")


def test_authentication_2019_and_2013_bodies() -> None:
    body_2019 = hexbytes(
        "04",  # auth code length
        "41423132",  # auth code "AB12"
        "383630303030303030303030303031",  # IMEI BYTE[15]
        "76312e30" + "00" * 16,  # software version BYTE[20]: "v1.0"
    )
    auth = Authentication("AB12", "860000000000001", "v1.0")
    assert Authentication.decode(body_2019, is_2019=True) == auth
    assert auth.encode(is_2019=True) == body_2019
    assert Authentication.decode(hexbytes("41423132"), is_2019=False).auth_code == "AB12"


def test_batch_location_upload_of_blind_area_data() -> None:
    basic = hexbytes("00000000", "00000003", "01d3c9e8", "06bec6b0", "0000", "0000", "0000")
    first, second = basic + hexbytes("260512080000"), basic + hexbytes("260512080100")
    body = hexbytes(
        "0002",  # item count 2
        "01",  # location data type 1: blind-area supplement
        "001c",  # item 1 length 28
    ) + first + hexbytes("001c") + second  # fmt: skip
    batch = BatchLocation.decode(body)
    assert batch.kind == BLIND_AREA
    assert [loc.time.minute for loc in batch.locations] == [0, 1]
    assert batch.encode() == body


def test_a_sub_package_header_carries_its_package_item_after_the_serial() -> None:
    head = Header(0x0704, PHONE_2019, 5, protocol_version=1, package=Package(2, 1))
    assert codec.encode(head, hexbytes("00020100")) == PACKAGE_2019
    decoded, body = codec.decode(PACKAGE_2019[1:-1])
    assert (decoded.package, decoded.body_length, body) == (Package(2, 1), 4, hexbytes("00020100"))
