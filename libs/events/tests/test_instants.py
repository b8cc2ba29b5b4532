"""A decoded event's instants are in the standard library's zones (`datetime.UTC` for `Z`), and
decoding changes nothing written: decode -> encode gives the bytes decoded, whatever the zone
and the microsecond, and any text reads as pydantic's own parser reads it (decision 115)."""

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import TzInfo
from tianmen_events import EnvelopeError, decode, encode
from tianmen_events.envelope import _payload, _upcast
from tianmen_events.telemetry import AlertRaised, Fix, TerminalReported

from libs.events.tests.test_decode_paths import _HEADERS, _META, _REPORT


class _Plain(BaseModel):
    """What every contract's instant was before: pydantic's own `datetime`."""

    model_config = ConfigDict(frozen=True)
    reported_at: datetime


_AT = _REPORT.reported_at

offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
zones = st.one_of(st.just(UTC), offsets, st.timezones())
instants = st.datetimes(
    min_value=datetime(1000, 1, 1), max_value=datetime(9998, 12, 31), timezones=zones
)


def _body(reported_at: Any) -> bytes:
    payload = json.loads(_REPORT.model_dump_json())
    payload["reported_at"] = reported_at
    return json.dumps(payload).encode()


def _both_ways(value: bytes) -> list[TerminalReported]:
    """The event as `decode` gives it (pydantic's JSON parser) and as the long way does."""
    event, _ = decode(_HEADERS, value)
    upcast = _upcast(_META, _payload(value))
    assert isinstance(event, TerminalReported) and isinstance(upcast, TerminalReported)
    return [event, upcast]


def _written(at: datetime) -> tuple[bytes, datetime]:
    """A report of `at` as encoded, and its instant as pydantic's own parser reads it back (an
    offset of seconds, as zones had before 1970, is written to the minute)."""
    written = encode(_REPORT.model_copy(update={"reported_at": at}), _META).value
    return written, _Plain.model_validate_json(written).reported_at


@settings(deadline=None, max_examples=300)
@given(instants)
def test_decode_then_encode_gives_the_bytes_decoded(at: datetime) -> None:
    written, read = _written(at)
    # What pydantic's own parser gives back (main's): the bytes written, but for an offset of
    # less than a minute west (before 1970), written `-00:00` and read back as `Z`.
    again = encode(_REPORT.model_copy(update={"reported_at": read}), _META).value
    assert again == written or (b"-00:00" in written and at.utcoffset() != timedelta(0))
    for event in _both_ways(written):
        assert encode(event, _META).value == again
        assert event.reported_at == read
        assert event.reported_at.utcoffset() == read.utcoffset()


@settings(deadline=None, max_examples=300)
@given(instants)
def test_a_decoded_instant_is_in_the_standard_librarys_zones(at: datetime) -> None:
    written, read = _written(at)
    for event in _both_ways(written):
        zone = event.reported_at.tzinfo
        if read.utcoffset() == timedelta(0):
            assert zone is UTC
        else:
            assert type(zone) is timezone
            assert zone.utcoffset(None) == read.utcoffset()


@pytest.mark.parametrize(
    "text", ["2026-05-12T08:00:00Z", "2026-05-12T08:00:00+00:00", "2026-05-12T08:00:00.000001Z"]
)
def test_a_utc_instant_decodes_in_datetime_utc(text: str) -> None:
    for event in _both_ways(_body(text)):
        assert event.reported_at.tzinfo is UTC


def test_every_instant_of_an_alert_decodes_in_datetime_utc() -> None:
    fix = Fix(report_id="r1", reported_at=_AT, latitude=1.0, longitude=2.0, working=True)
    alert = AlertRaised(
        alert_id="a1",
        enterprise_id="e1",
        machine_id="m1",
        terminal_id="t1",
        rule="night_work",
        rule_version="1",
        observed_at=_AT,
        latitude=1.0,
        longitude=2.0,
        detail="d",
        evidence=(fix, fix),
    )
    decoded = AlertRaised.model_validate_json(alert.model_dump_json())
    zones = [decoded.observed_at.tzinfo, *(f.reported_at.tzinfo for f in decoded.evidence)]
    assert [zone is UTC for zone in zones] == [True, True, True]
    assert decoded.model_dump_json() == alert.model_dump_json()


# What pydantic writes, with any character anywhere: most are no instant at all.
shaped = st.one_of(
    instants.map(lambda t: _Plain(reported_at=t).model_dump(mode="json")["reported_at"]),
    st.from_regex(
        r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?(Z|[+-][0-9]{2}:[0-9]{2})\Z"
    ),
)
texts = st.one_of(
    shaped,
    st.tuples(shaped, st.integers(0, 31), st.characters()).map(
        lambda t: t[0][: t[1]] + t[2] + t[0][t[1] + 1 :]
    ),
    st.datetimes(timezones=zones).map(lambda t: t.isoformat(sep=" ")),
    st.sampled_from(["2026-05-12T08:00:00.12345Z", "2026-05-12T08:00:00.1234567+08:00"]),
    st.text(max_size=34),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(deadline=None, max_examples=1000)
@given(texts)
def test_any_text_reads_as_pydantics_own_parser_reads_it(text: Any) -> None:
    try:
        plain = _Plain.model_validate({"reported_at": text})
    except ValidationError:
        with pytest.raises(EnvelopeError):
            decode(_HEADERS, _body(text))
        return
    if plain.reported_at.tzinfo is None:  # no instant: refused now (test below)
        return
    for event in _both_ways(_body(text)):
        assert event.reported_at == plain.reported_at
        assert event.reported_at.utcoffset() == plain.reported_at.utcoffset()
        assert event.model_dump_json() == _REPORT.model_copy(update=dict(plain)).model_dump_json()


@pytest.mark.parametrize(
    "text", ["2026-05-12T08:00:00", "2026-05-12T08:00:00.123456", "2026-05-12"]
)
def test_an_instant_without_its_zone_is_refused(text: str) -> None:
    with pytest.raises(EnvelopeError, match="reported_at"):
        decode(_HEADERS, _body(text))
    with pytest.raises(ValidationError, match="its zone"):
        _REPORT.model_copy().model_validate({**_REPORT.model_dump(), "reported_at": text})


def test_an_instant_built_in_python_keeps_its_zone_unless_it_is_pydantics() -> None:
    at = datetime(2026, 5, 12, 16, tzinfo=timezone(timedelta(hours=8)))
    assert TerminalReported(**{**dict(_REPORT), "reported_at": at}).reported_at is at
    assert TerminalReported(**{**dict(_REPORT), "reported_at": _AT}).reported_at is _AT
    pydantics = _Plain(reported_at="2026-05-12T16:00:00+08:00").reported_at
    assert type(pydantics.tzinfo) is TzInfo
    built = TerminalReported(**{**dict(_REPORT), "reported_at": pydantics}).reported_at
    assert built == pydantics and type(built.tzinfo) is timezone
    with pytest.raises(ValidationError, match="its zone"):
        TerminalReported(**{**dict(_REPORT), "reported_at": datetime(2026, 5, 12, 8)})
