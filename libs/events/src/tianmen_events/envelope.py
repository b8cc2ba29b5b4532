"""CloudEvents 1.0 in Kafka binary mode: attributes in ``ce_*`` headers, the event JSON as value.

Extensions (CloudEvents names are lowercase alphanumerics): ``sequence`` (the aggregate's
sequence number), ``correlationid``, ``causationid``, ``schemaversion``. The Kafka message key is
the aggregate id (the binding's ``partitionkey``), so any CloudEvents-aware consumer can read it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from tianmen_events.base import DomainEvent
from tianmen_events.catalog import UnknownEventType, current_class, upcast
from tianmen_events.frozen import assembled

SPECVERSION = "1.0"
CONTENT_TYPE = "application/json"
Headers = list[tuple[str, bytes]]
MAX_ID_LENGTH = 64


class EnvelopeError(ValueError):
    """A message that is not a valid event of ours; the reason says why."""


@dataclass(frozen=True)
class EventMeta:
    id: str
    source: str
    time: datetime
    subject: str
    sequence: int
    correlation_id: str
    causation_id: str | None = None
    schema_version: int = 1
    type: str = ""


@dataclass(frozen=True)
class Message:
    topic: str
    key: bytes
    value: bytes
    headers: Headers


def encode(event: DomainEvent, meta: EventMeta) -> Message:
    value, attributes = encode_text(event, meta)
    headers: Headers = [(name, text.encode()) for name, text in attributes]
    return Message(event.topic, meta.subject.encode(), value.encode(), headers)


def encode_text(event: DomainEvent, meta: EventMeta) -> tuple[str, list[tuple[str, str]]]:
    """The event's JSON and its headers as text: what `encode` sends, for a store that keeps
    them as text (the event store, the outbox) without encoding them only to decode them."""
    if meta.time.tzinfo is None:
        raise EnvelopeError("ce_time must be timezone-aware")
    attributes = [
        ("ce_specversion", SPECVERSION),
        ("ce_id", meta.id),
        ("ce_source", meta.source),
        ("ce_type", event.type),
        ("ce_time", meta.time.isoformat()),
        ("ce_subject", meta.subject),
        ("ce_sequence", str(meta.sequence)),
        ("ce_correlationid", meta.correlation_id),
        ("ce_schemaversion", str(event.version)),
        ("content-type", CONTENT_TYPE),
    ]
    if meta.causation_id:
        attributes.append(("ce_causationid", meta.causation_id))
    return event.model_dump_json(), attributes


def decode(headers: Headers | None, value: bytes | None) -> tuple[DomainEvent, EventMeta]:
    """Decode and upcast a message; raise `EnvelopeError` naming what is wrong."""
    meta = _meta(_attributes(headers or []))
    event = _as_current(meta, value)
    if event is None:
        event = _upcast(meta, _payload(value))
    if event.subject_id() != meta.subject:
        raise EnvelopeError(f"ce_subject {meta.subject} is not the event's {event.subject}")
    return event, meta


def _as_current(meta: EventMeta, value: bytes | None) -> DomainEvent | None:
    """A body of its type's current version, validated from the JSON by pydantic's own parser:
    a third of `json.loads` and validating the dict. Anything it refuses (or raises on) is
    None, and goes the long way, which refuses it with the reason, as before."""
    cls = current_class(meta.type, meta.schema_version)
    if cls is None or not value:
        return None
    try:
        return cls.model_validate_json(value)
    except Exception:  # the long way says why, exactly as it always did
        return None


def _payload(value: bytes | None) -> dict[str, Any]:
    try:
        payload: Any = json.loads(value or b"")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EnvelopeError(f"body is not JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise EnvelopeError("body is not a JSON object")
    return payload


def _upcast(meta: EventMeta, payload: dict[str, Any]) -> DomainEvent:
    try:
        return upcast(meta.type, meta.schema_version, payload)
    except UnknownEventType as exc:
        raise EnvelopeError(f"unknown event type: {exc}") from exc
    except ValidationError as exc:
        raise EnvelopeError(f"body does not match {meta.type}: {exc.errors()[:3]}") from exc
    except Exception as exc:  # an upcaster meeting a payload it cannot read (say, a key missing)
        reason = f"{type(exc).__name__}: {exc}"
        raise EnvelopeError(
            f"{meta.type} v{meta.schema_version} cannot be upcast: {reason}"
        ) from exc


def _attributes(headers: Headers) -> dict[str, str]:
    try:
        return {k: v.decode() for k, v in headers if v is not None}
    except UnicodeDecodeError as exc:
        raise EnvelopeError("a header is not UTF-8") from exc


_REQUIRED = ("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject")
_IDS = ("ce_id", "ce_subject", "ce_correlationid", "ce_causationid")


def _meta(attrs: dict[str, str]) -> EventMeta:
    missing = [name for name in _REQUIRED if name not in attrs]
    if missing:
        raise EnvelopeError(f"missing CloudEvents headers: {', '.join(missing)}")
    if attrs["ce_specversion"] != SPECVERSION:
        raise EnvelopeError(f"unsupported ce_specversion {attrs['ce_specversion']}")
    try:
        time = datetime.fromisoformat(attrs["ce_time"])
        sequence = int(attrs.get("ce_sequence", "0"))
        schema_version = int(attrs.get("ce_schemaversion", "1"))
    except ValueError as exc:
        raise EnvelopeError(f"bad header value: {exc}") from exc
    if time.tzinfo is None:
        raise EnvelopeError("ce_time has no timezone")
    for name in _IDS:
        if len(attrs.get(name, "")) > MAX_ID_LENGTH:
            raise EnvelopeError(f"{name} is longer than {MAX_ID_LENGTH} characters")
    return assembled(  # once a decoded event: its fields are typed above
        EventMeta,
        {
            "id": attrs["ce_id"],
            "source": attrs["ce_source"],
            "time": time,
            "subject": attrs["ce_subject"],
            "sequence": sequence,
            "correlation_id": attrs.get("ce_correlationid", attrs["ce_id"]),
            "causation_id": attrs.get("ce_causationid"),
            "schema_version": schema_version,
            "type": attrs["ce_type"],
        },
    )
