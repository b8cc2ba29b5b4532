"""When the log recorded the event a handler is applying: its Kafka record's timestamp.

With `message.timestamp.type=LogAppendTime` the broker stamps each record as it appends it, so
the stamp says what had reached the log before what: the same live and in a replay. A handler
reads it here (`recorded_ms.get()`), beside its `(event, meta)`: the envelope and the stored
event rows stay as they were. None when the record carries no time (a test's hand-made one).
"""

from __future__ import annotations

from contextvars import ContextVar

recorded_ms: ContextVar[int | None] = ContextVar("recorded_ms", default=None)
recorded_partition: ContextVar[int | None] = ContextVar("recorded_partition", default=None)
"""The partition of the record a handler is applying (None outside a record): records of one
partition are applied in its order, live and in a replay alike, so "a record of this partition
stamped after X" says that every record of it stamped before X was applied (telemetry's binding
ends, decision 99)."""


def stamp_of(record: object) -> int | None:
    """A record's timestamp in ms since the epoch; None for none (Kafka's -1, or absent)."""
    stamp = getattr(record, "timestamp", None)
    return stamp if isinstance(stamp, int) and stamp >= 0 else None
