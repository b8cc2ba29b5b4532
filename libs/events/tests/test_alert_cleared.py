"""`AlertCleared.binding` (decision 99): additive, so the contract stays v1. A clearing published
before it decodes as a report's (no binding); one cleared by a binding's end goes through the
envelope whole; and the export's check counts the field as compatible, not breaking."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tianmen_events import EventMeta, decode, encode
from tianmen_events.codes import AlertRule
from tianmen_events.schema_export import breaking_changes, schema_of
from tianmen_events.telemetry import AlertCleared, BindingEnded

AT = datetime(2026, 5, 11, 15, 45, tzinfo=UTC)
META = EventMeta("ev-1", "/tianmen/telemetry", AT, "ent-1", 1, "c", AlertCleared.type)


def _cleared(**changes: object) -> AlertCleared:
    fields: dict[str, object] = {
        "alert_id": "a-1",
        "enterprise_id": "ent-1",
        "machine_id": "m-1",
        "rule": AlertRule.NIGHT_WORK,
        "rule_version": "night-work/2",
        "cleared_at": AT,
        "detail": "night_work no longer holds",
        **changes,
    }
    return AlertCleared.model_validate(fields)


def test_a_clearing_published_before_the_field_decodes_as_a_reports() -> None:
    message = encode(_cleared(), META)
    old = json.loads(message.value)
    del old["binding"]  # what a publisher before decision 99 wrote
    event, _ = decode(message.headers, json.dumps(old).encode())
    assert isinstance(event, AlertCleared)
    assert event.binding is None
    assert event == _cleared()


def test_a_clearing_by_a_bindings_end_goes_through_the_envelope_whole() -> None:
    ended = BindingEnded(event_id="bind-9", ended_at=AT, terminal_id="t-1", to_machine_id="m-2")
    cleared = _cleared(binding=ended, detail="terminal t-1 was bound to machine m-2")
    message = encode(cleared, META)
    event, _ = decode(message.headers, message.value)
    assert event == cleared


def test_the_field_is_compatible_with_v1() -> None:
    new = schema_of(AlertCleared)
    old = json.loads(json.dumps(new))
    del old["properties"]["binding"]
    old.get("$defs", {}).pop("BindingEnded", None)
    assert breaking_changes(old, new) == []
