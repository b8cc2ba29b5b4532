"""Bad bytes give a typed `ProtocolError`, never another exception; the splitter resyncs."""

from __future__ import annotations

import pytest
from tianmen_telemetry.jt808 import codec, framing
from tianmen_telemetry.jt808.errors import (
    BadEscape,
    BodyLengthMismatch,
    CheckCodeMismatch,
    FrameTooLong,
    ProtocolError,
    Truncated,
)
from tianmen_telemetry.jt808.framing import FrameSplitter
from tianmen_telemetry.jt808.header import Header
from tianmen_telemetry.jt808.messages.location import Location

HEARTBEAT = bytes.fromhex("7e000200000139123456780001337e")


def test_a_wrong_check_code_is_refused() -> None:
    with pytest.raises(CheckCodeMismatch):
        codec.decode(HEARTBEAT[1:-2] + b"\x34")


def test_a_frame_cut_inside_the_header_is_truncated() -> None:
    frame = framing.escape(b"\x00\x02\x00\x00\x01\x39")
    with pytest.raises(Truncated):
        codec.decode(frame + bytes([framing.check_code(b"\x00\x02\x00\x00\x01\x39")]))


def test_a_body_shorter_than_its_attributes_say_is_refused() -> None:
    message = bytes.fromhex("0002 0003 013912345678 0001 aabb")  # says 3, has 2
    with pytest.raises(BodyLengthMismatch):
        codec.decode(message + bytes([framing.check_code(message)]))


def test_an_escape_byte_followed_by_anything_else_is_refused() -> None:
    with pytest.raises(BadEscape):
        framing.unescape(b"\x01\x7d\x03")
    with pytest.raises(BadEscape):
        framing.unescape(b"\x01\x7d")


def test_a_location_body_cut_short_is_truncated() -> None:
    with pytest.raises(Truncated):
        Location.decode(bytes(27))


def test_an_additional_item_longer_than_the_body_is_truncated() -> None:
    basic = bytes.fromhex("00" * 8 + "01d3c9e8 06bec6b0" + "00" * 6 + "260512233000")
    with pytest.raises(Truncated):
        Location.decode(basic + b"\x01\x04\x00\x00")


def test_a_time_that_is_not_a_date_is_a_protocol_error() -> None:
    body = bytes.fromhex("00" * 8 + "01d3c9e8 06bec6b0" + "00" * 6 + "261399233000")
    with pytest.raises(ProtocolError):
        Location.decode(body)


def test_a_time_that_is_not_bcd_is_a_protocol_error() -> None:
    body = bytes.fromhex("00" * 8 + "01d3c9e8 06bec6b0" + "00" * 6 + "2605a1233000")
    with pytest.raises(ProtocolError, match="not BCD"):
        Location.decode(body)


def test_a_2013_header_cut_before_its_serial_is_truncated() -> None:
    message = b"\x00\x02\x00\x00" + bytes.fromhex("013912345678") + b"\x00"
    with pytest.raises(Truncated):
        codec.decode(framing.wrap(message)[1:-1])


def test_a_package_item_cut_short_is_truncated() -> None:
    message = b"\x07\x04\x20\x00" + bytes.fromhex("013912345678") + b"\x00\x01\x00"
    with pytest.raises(Truncated):
        codec.decode(framing.wrap(message)[1:-1])


def test_a_latitude_beyond_ninety_degrees_is_a_protocol_error() -> None:
    body = bytes.fromhex("00" * 8 + "05f5e100 06bec6b0" + "00" * 6 + "260512233000")
    with pytest.raises(ProtocolError):
        Location.decode(body)


def test_a_body_longer_than_ten_bits_cannot_be_sent_in_one_package() -> None:
    with pytest.raises(ValueError, match="exceeds"):
        codec.encode(Header(0x0200, "013912345678", 1), bytes(1024))


def test_splitter_drops_leading_garbage_and_splits_adjacent_frames() -> None:
    splitter = FrameSplitter()
    stream = b"\x01\x02garbage" + HEARTBEAT + HEARTBEAT
    assert splitter.feed(stream) == [HEARTBEAT[1:-1], HEARTBEAT[1:-1]]


def test_splitter_joins_a_frame_split_across_reads() -> None:
    splitter = FrameSplitter()
    assert splitter.feed(HEARTBEAT[:5]) == []
    assert splitter.feed(HEARTBEAT[5:]) == [HEARTBEAT[1:-1]]


def test_splitter_reports_an_overlong_run_once_and_resynchronises() -> None:
    splitter = FrameSplitter(max_frame=16)
    found = splitter.feed(b"\x7e" + bytes(40))
    assert len(found) == 1 and isinstance(found[0], FrameTooLong)
    assert splitter.feed(bytes(40) + HEARTBEAT) == [HEARTBEAT[1:-1]]
