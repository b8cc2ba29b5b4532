from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tianmen_events import EnvelopeError, EventMeta, decode, derive_id, encode
from tianmen_events.registry import EnterpriseRegistered
from tianmen_events.safety import PointsDeducted


def _meta(subject: str, time: datetime, sequence: int = 1) -> EventMeta:
    return EventMeta(
        id=derive_id("test", subject, sequence),
        source="/tianmen/test",
        time=time,
        subject=subject,
        sequence=sequence,
        correlation_id="corr-1",
        causation_id="cause-1",
    )


times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@given(
    enterprise=st.uuids().map(str),
    points=st.integers(0, 100),
    balance=st.integers(0, 100),
    time=times,
    sequence=st.integers(1, 10_000),
)
def test_encode_then_decode_returns_the_same_event_and_meta(
    enterprise: str, points: int, balance: int, time: datetime, sequence: int
) -> None:
    event = PointsDeducted(
        enterprise_id=enterprise,
        violation_id="v",
        points=points,
        balance_after=balance,
        cycle_year=2026,
        rule_version="r1",
    )
    message = encode(event, _meta(enterprise, time, sequence))
    decoded, meta = decode(message.headers, message.value)
    assert decoded == event
    assert (meta.subject, meta.sequence, meta.time, meta.type) == (
        enterprise,
        sequence,
        time,
        PointsDeducted.type,
    )
    assert message.key == enterprise.encode()
    assert message.topic == "safety.enterprise"


def test_headers_are_cloudevents_binary_mode() -> None:
    event = PointsDeducted(
        enterprise_id="e1",
        violation_id="v",
        points=5,
        balance_after=95,
        cycle_year=2026,
        rule_version="r1",
    )
    tz = timezone(timedelta(hours=8))
    headers = dict(encode(event, _meta("e1", datetime(2026, 5, 1, 23, 30, tzinfo=tz))).headers)
    assert headers["ce_specversion"] == b"1.0"
    assert headers["ce_type"] == b"tianmen.safety.points_deducted"
    assert headers["ce_time"] == b"2026-05-01T23:30:00+08:00"
    assert headers["ce_subject"] == b"e1"
    assert headers["ce_causationid"] == b"cause-1"
    assert headers["content-type"] == b"application/json"
    assert {"ce_id", "ce_source", "ce_sequence", "ce_correlationid", "ce_schemaversion"} <= set(
        headers
    )


@pytest.mark.parametrize(
    ("headers", "value", "reason"),
    [
        ([], b"{}", "missing CloudEvents headers"),
        (None, b"not json", "missing CloudEvents headers"),
    ],
)
def test_messages_without_envelope_are_refused(headers, value, reason) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EnvelopeError, match=reason):
        decode(headers, value)


def _valid_headers(**override: bytes) -> list[tuple[str, bytes]]:
    event = PointsDeducted(
        enterprise_id="e1",
        violation_id="v",
        points=5,
        balance_after=95,
        cycle_year=2026,
        rule_version="r1",
    )
    headers = dict(encode(event, _meta("e1", datetime(2026, 1, 1, tzinfo=UTC))).headers)
    headers.update(override)
    return list(headers.items())


def test_garbage_body_is_refused_with_the_reason() -> None:
    with pytest.raises(EnvelopeError, match="not JSON"):
        decode(_valid_headers(), b"\x00\xffgarbage")


def test_unknown_type_is_refused() -> None:
    with pytest.raises(EnvelopeError, match="unknown event type"):
        decode(_valid_headers(ce_type=b"tianmen.nobody.nothing"), b"{}")


def test_body_not_matching_its_type_is_refused() -> None:
    with pytest.raises(EnvelopeError, match="does not match"):
        decode(_valid_headers(), b'{"enterprise_id": "e1"}')


def test_version_newer_than_reader_is_refused() -> None:
    with pytest.raises(EnvelopeError, match="newer than this reader"):
        decode(_valid_headers(ce_schemaversion=b"9"), b"{}")


def test_v1_enterprise_registered_is_upcast_with_division_code_from_uscc() -> None:
    v1_body = b'{"enterprise_id": "e1", "uscc": "91429006MA4F00000X", "name": "Tianmen Lift Co"}'
    headers = _valid_headers(
        ce_type=EnterpriseRegistered.type.encode(), ce_schemaversion=b"1", ce_subject=b"e1"
    )
    event, meta = decode(headers, v1_body)
    assert isinstance(event, EnterpriseRegistered)
    assert event.division_code == "429006"
    assert meta.schema_version == 1


def test_v1_payload_an_upcaster_cannot_read_is_refused_not_raised() -> None:
    headers = _valid_headers(
        ce_type=EnterpriseRegistered.type.encode(), ce_schemaversion=b"1", ce_subject=b"e1"
    )
    with pytest.raises(EnvelopeError, match="cannot be upcast: KeyError"):
        decode(headers, b"{}")


def test_subject_header_must_name_the_events_own_aggregate() -> None:
    body = encode(_deducted_for("e1"), _meta("e1", datetime(2026, 1, 1, tzinfo=UTC))).value
    with pytest.raises(EnvelopeError, match="ce_subject e2"):
        decode(_valid_headers(ce_subject=b"e2"), body)


def test_ids_longer_than_the_stores_columns_are_refused() -> None:
    with pytest.raises(EnvelopeError, match="ce_id is longer than 64"):
        decode(_valid_headers(ce_id=b"x" * 65), b"{}")


def _deducted_for(enterprise: str) -> PointsDeducted:
    return PointsDeducted(
        enterprise_id=enterprise,
        violation_id="v",
        points=5,
        balance_after=95,
        cycle_year=2026,
        rule_version="r1",
    )
