"""Round trips: escape/unescape, frame/unframe, header and body encode/decode are identities."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from tianmen_telemetry.jt808 import codec, framing
from tianmen_telemetry.jt808.framing import FrameSplitter
from tianmen_telemetry.jt808.header import Header, Package
from tianmen_telemetry.jt808.messages.batch import BatchLocation
from tianmen_telemetry.jt808.messages.flags import Alarm, Status
from tianmen_telemetry.jt808.messages.location import Location
from tianmen_telemetry.jt808.wire import GMT8

# Payloads rich in the two special bytes.
payloads = st.lists(st.sampled_from([0x7E, 0x7D, 0x01, 0x02]) | st.integers(0, 255)).map(bytes)
words = st.integers(0, 0xFFFF)


@st.composite
def headers(draw: st.DrawFn) -> Header:
    is_2019 = draw(st.booleans())
    phone = draw(st.from_regex(r"[0-9]{20}" if is_2019 else r"[0-9]{12}", fullmatch=True))
    total = draw(st.integers(1, 0xFFFF))
    package = draw(st.none() | st.integers(1, total).map(lambda i: Package(total, i)))
    return Header(draw(words), phone, draw(words), 1 if is_2019 else None, 0, 0, package)


times = st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31)).map(
    lambda t: t.replace(microsecond=0, tzinfo=GMT8)
)
items = st.lists(st.tuples(st.integers(0, 255), st.binary(max_size=20)), max_size=4)
locations = st.builds(
    Location,
    alarm=st.integers(0, 2**32 - 1).map(Alarm),
    status=st.integers(0, 2**32 - 1).map(Status),
    latitude_e6=st.integers(0, 90_000_000),
    longitude_e6=st.integers(0, 180_000_000),
    altitude_m=words,
    speed_dkmh=words,
    direction=st.integers(0, 359),
    time=times,
    items=items.map(tuple),
)


@given(payloads)
def test_unescape_inverts_escape_and_no_flag_survives(data: bytes) -> None:
    escaped = framing.escape(data)
    assert framing.FLAG not in escaped
    assert framing.unescape(escaped) == data


@given(headers(), payloads.filter(lambda b: len(b) <= 1023))
def test_decode_inverts_encode(head: Header, body: bytes) -> None:
    frame = codec.encode(head, body)
    decoded, decoded_body = codec.decode(frame[1:-1])
    assert decoded_body == body
    assert decoded == Header(
        head.message_id, head.phone, head.serial, head.protocol_version, len(body), 0, head.package
    )


@given(st.lists(st.tuples(headers(), payloads.filter(lambda b: len(b) <= 200)), max_size=5),
       st.integers(1, 50))  # fmt: skip
def test_splitter_recovers_every_frame_whatever_the_read_sizes(
    messages: list[tuple[Header, bytes]], read_size: int
) -> None:
    stream = b"".join(codec.encode(h, b) for h, b in messages)
    splitter, frames = FrameSplitter(), []
    for start in range(0, len(stream), read_size):
        frames += splitter.feed(stream[start : start + read_size])
    assert [codec.decode(f)[1] for f in frames if isinstance(f, bytes)] == [b for _, b in messages]


@given(locations)
def test_location_decode_inverts_encode(location: Location) -> None:
    assert Location.decode(location.encode()) == location


@given(st.integers(0, 1), st.lists(locations, max_size=5))
def test_batch_decode_inverts_encode(kind: int, batch: list[Location]) -> None:
    assert BatchLocation.decode(BatchLocation(kind, tuple(batch)).encode()) == BatchLocation(
        kind, tuple(batch)
    )


def test_times_are_kept_in_gmt8_whatever_zone_they_were_given_in() -> None:
    utc_time = datetime(2026, 5, 12, 15, 30, tzinfo=GMT8) - timedelta(hours=8)
    location = Location(Alarm(0), Status(0), 0, 0, 0, 0, 0, utc_time)
    assert Location.decode(location.encode()).time == utc_time


@given(st.binary(max_size=2100))
def test_the_folded_check_code_is_the_xor_of_every_byte(data: bytes) -> None:
    expected = 0
    for b in data:
        expected ^= b
    assert framing.check_code(data) == expected
