"""`decode` validates a body of its type's current version straight from the JSON (pydantic's
parser); every other body goes the long way (`json.loads`, upcasters, validating the dict).
Whatever a producer wrote, the two must give the same event, or the same refusal."""

import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tianmen_events import EnvelopeError, EventMeta, decode, derive_id, encode
from tianmen_events.envelope import _payload, _upcast
from tianmen_events.telemetry import TerminalReported

_REPORT = TerminalReported(
    report_id="r1",
    terminal_id="13800000000",
    machine_id="m1",
    enterprise_id="e1",
    reported_at=datetime(2026, 5, 12, 8, tzinfo=UTC),
    latitude=30.65,
    longitude=113.16,
    working=True,
)
_META = EventMeta(
    id=derive_id("test", "m1"),
    source="/test",
    time=datetime(2026, 5, 12, 8, tzinfo=UTC),
    subject="m1",
    sequence=1,
    correlation_id="c1",
    type=TerminalReported.type,
)
_HEADERS = encode(_REPORT, _META).headers

numbers: st.SearchStrategy[Any] = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(2**70), 2**70),
    st.floats(-200, 200).map(str),
    st.sampled_from(["30.6", "1e400", "-0", "0x10", "", None, True, [], {}]),
)
instants = st.one_of(
    st.datetimes(timezones=st.sampled_from([UTC, None])).map(lambda t: t.isoformat()),
    st.sampled_from(
        ["2026-05-12T08:00:00Z", "2026-05-12 16:00:00+08:00", "2026-05-12", "1e10", "now"]
    ),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False),
)
texts = st.one_of(st.text(max_size=8), st.integers(), st.none(), st.just("m1"))
fields: dict[str, st.SearchStrategy[Any]] = {
    "report_id": texts,
    "terminal_id": texts,
    "machine_id": st.one_of(st.just("m1"), texts),
    "enterprise_id": texts,
    "reported_at": instants,
    "latitude": numbers,
    "longitude": numbers,
    "working": st.one_of(st.booleans(), st.sampled_from(["true", "yes", 1, 0, "0", None, 2])),
    "engine_hours": numbers,
    "fuel_level_pct": numbers,
    "alarms": st.one_of(
        st.lists(st.sampled_from(["power_cut", "antenna_cut", "cover_opened", "x", 5])),
        st.just("power_cut"),
    ),
    "engine_number": texts,
    "extra": texts,
}
bodies = st.fixed_dictionaries({}, optional=fields).map(
    lambda d: json.dumps(d, allow_nan=True).encode()
)


def _long_way(value: bytes) -> tuple[str, str]:
    try:
        return "decoded", repr(_upcast(_META, _payload(value)))
    except EnvelopeError as exc:
        return "refused", str(exc)


def _decoded(value: bytes) -> tuple[str, str]:
    try:
        event, _ = decode(_HEADERS, value)
    except EnvelopeError as exc:
        if str(exc).startswith("ce_subject"):  # checked after either way: not the body's
            return _long_way(value)
        return "refused", str(exc)
    return "decoded", repr(event)


@settings(deadline=None)  # the first decode loads the contracts
@given(bodies)
def test_a_body_decodes_as_the_long_way_decodes_it(value: bytes) -> None:
    assert _decoded(value) == _long_way(value)


@settings(deadline=None)
@given(st.one_of(st.binary(max_size=40), st.sampled_from([b"", b"null", b"[]", b'"x"', b"\xff"])))
def test_a_body_that_is_no_object_is_refused_as_before(value: bytes) -> None:
    assert _decoded(value) == _long_way(value)


def test_a_decoded_meta_is_the_meta_encoded() -> None:
    _, meta = decode(_HEADERS, encode(_REPORT, _META).value)
    assert meta == _META
    assert hash(meta) == hash(_META)
    assert vars(meta) == vars(_META)
