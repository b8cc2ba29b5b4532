"""Sub-packages are joined in index order, bounded in number and in age."""

from __future__ import annotations

import pytest
from tianmen_telemetry.jt808.errors import ProtocolError
from tianmen_telemetry.jt808.header import Header, Package
from tianmen_telemetry.jt808.reassembly import Reassembler

PHONE = "013912345678"


def part(serial: int, total: int, index: int, message_id: int = 0x0704) -> Header:
    return Header(message_id, PHONE, serial, package=Package(total, index))


def test_packages_arriving_out_of_order_are_joined_in_index_order() -> None:
    r = Reassembler()
    assert r.add(part(11, 3, 2), b"BB", now=0) is None
    assert r.add(part(12, 3, 3), b"CC", now=0) is None
    assert r.add(part(10, 3, 1), b"AA", now=0) == b"AABBCC"
    assert len(r) == 0


def test_a_message_without_a_package_item_passes_through() -> None:
    assert Reassembler().add(Header(0x0200, PHONE, 1), b"body", now=0) == b"body"


def test_serial_numbers_that_wrap_still_belong_to_one_message() -> None:
    r = Reassembler()
    assert r.add(part(0xFFFF, 2, 1), b"A", now=0) is None
    assert r.add(part(0x0000, 2, 2), b"B", now=0) == b"AB"


def test_a_resent_package_with_the_same_bytes_is_harmless_but_other_bytes_are_refused() -> None:
    r = Reassembler()
    r.add(part(10, 2, 1), b"A", now=0)
    assert r.add(part(10, 2, 1), b"A", now=0) is None
    with pytest.raises(ProtocolError):
        r.add(part(10, 2, 1), b"X", now=0)


def test_the_oldest_pending_message_is_dropped_beyond_the_bound() -> None:
    r = Reassembler(max_pending=2)
    for serial in (10, 20, 30):
        r.add(part(serial, 2, 1), b"A", now=0)
    assert (len(r), r.dropped) == (2, 1)
    assert r.add(part(11, 2, 2), b"B", now=0) is None  # message 10 is gone: starts anew
    assert r.add(part(31, 2, 2), b"B", now=0) == b"AB"


def test_messages_older_than_the_age_bound_expire() -> None:
    r = Reassembler(max_age=30)
    r.add(part(10, 2, 1), b"A", now=0)
    r.expire(now=31)
    assert (len(r), r.dropped) == (0, 1)
    assert r.add(part(11, 2, 2), b"B", now=31) is None


def test_the_oldest_pending_message_is_dropped_to_stay_within_the_byte_bound() -> None:
    r = Reassembler(max_bytes=10)
    r.add(part(10, 2, 1), b"AAAAAA", now=0)
    r.add(part(20, 2, 1), b"BBBBBB", now=0)  # 12 bytes would be over: message 10 goes
    assert (len(r), r.buffered_bytes, r.dropped) == (1, 6, 1)
    assert r.add(part(21, 2, 2), b"CC", now=0) == b"BBBBBBCC"
    assert r.buffered_bytes == 0


def test_a_message_larger_than_the_byte_bound_is_refused() -> None:
    r = Reassembler(max_bytes=10)
    r.add(part(10, 3, 1), b"AAAAAA", now=0)
    with pytest.raises(ProtocolError, match="exceeds"):
        r.add(part(11, 3, 2), b"BBBBBB", now=0)
    assert (len(r), r.buffered_bytes) == (0, 0)
