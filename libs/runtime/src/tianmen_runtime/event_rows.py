"""The rows an event store writes for appended events: the events table's and the outbox's.

Live, each event is encoded once (`encode_text`) for its row and its message; a replay (no
outbox) builds no message: the row takes the event's JSON and its time's text, computed once
for the events that share the time. Either way the row holds the same text (pinned by
`tests/test_stored_bytes.py`). A row is a tuple in `COLUMNS` order, as SQLite's driver takes it
(no dict built and then read back in order: four rows an alert in safety's replay).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from json.encoder import encode_basestring_ascii as _json_string

from tianmen_events import DomainEvent, EnvelopeError, EventMeta
from tianmen_events.envelope import encode_text

from tianmen_runtime.identity import actor

Appended = tuple[DomainEvent, EventMeta]
Row = tuple[object, ...]
"""An event row, its values in `COLUMNS` order."""
COLUMNS = (
    "event_id",
    "aggregate_id",
    "sequence",
    "type",
    "version",
    "topic",
    "time",
    "correlation_id",
    "causation_id",
    "payload",
)
Message = dict[str, object]
_TIME = 4  # where `encode_text` puts ce_time (an event row stores the same text)


def rows_and_messages(
    recorded: Sequence[Appended],
) -> tuple[list[Row], list[Message]]:
    """The event rows and the outbox's messages, from one encoding of each event."""
    rows: list[Row] = []
    boxes: list[Message] = []
    for event, meta in recorded:
        value, attributes = encode_text(event, meta)
        name, time = attributes[_TIME]
        assert name == "ce_time", name
        rows.append(_event_row(event, meta, value, time))
        boxes.append(_outbox_row(event, meta, value, attributes))
    return rows, boxes


def event_rows(recorded: Sequence[Appended]) -> list[Row]:
    """The event rows alone (a replay: no message to build): each payload as `encode_text`
    gives it, and the time's text once for the events that share it (a cause's events do) and
    once a transaction for each UTC time (`_time_texts`)."""
    rows: list[Row] = []
    last: datetime | None = None
    text = ""
    texts: dict[datetime, str] = {}
    for event, meta in recorded:
        if meta.time is not last:
            last, text = meta.time, _time_texts(texts, meta.time)
        rows.append(_event_row(event, meta, _json(event), text))
    return rows


def _json(event: DomainEvent) -> str:
    """`event.model_dump_json()`, the same text, from the model's serializer without the
    method's keyword handling (a third of its cost; once an appended event in a replay)."""
    return event.__pydantic_serializer__.to_json(event).decode()


def _time_texts(texts: dict[datetime, str], time: datetime) -> str:
    """`_time_text(time)`, kept in `texts` for a UTC time: a replay's transaction holds the
    events of many causes, each with its own datetime, most of them at a few instants (the
    text costs 0.9 us, the look-up 0.03). Only UTC: equal datetimes of other zones may have
    other text (an instant at +08:00 equals it in UTC), and a zone's fold would need a key."""
    if time.tzinfo is not UTC:
        return _time_text(time)
    text = texts.get(time)
    if text is None:
        text = texts[time] = _time_text(time)
    return text


def _time_text(time: datetime) -> str:
    """`ce_time` as `encode_text` writes it (and refuses it)."""
    if time.tzinfo is None:
        raise EnvelopeError("ce_time must be timezone-aware")
    return time.isoformat()


def _event_row(event: DomainEvent, meta: EventMeta, payload: str, time: str) -> Row:
    return (
        meta.id,
        meta.subject,
        meta.sequence,
        meta.type,
        meta.schema_version,
        event.topic,
        time,
        meta.correlation_id,
        meta.causation_id,
        payload,
    )


def _outbox_row(
    event: DomainEvent, meta: EventMeta, value: str, attributes: list[tuple[str, str]]
) -> Message:
    """The message `encode` would give, as the relay reads it back (headers as JSON text)."""
    who = actor.get()
    if who is not None:  # a command: who gave it, as the gateway vouched (CloudEvents extensions)
        attributes = [*attributes, ("ce_actor", who.subject), ("ce_actorrole", who.role)]
    return {
        "event_id": meta.id,
        "topic": event.topic,
        "key": meta.subject.encode(),
        "value": value.encode(),
        "headers": _headers_json(attributes),
        "published": False,
    }


def _headers_json(attributes: list[tuple[str, str]]) -> str:
    """`json.dumps(attributes)`, the same text at about half its cost (twice an alert)."""
    pairs = [f"[{_json_string(name)}, {_json_string(text)}]" for name, text in attributes]
    return "[" + ", ".join(pairs) + "]"
