"""Event contracts of the Tianmen machinery supervision suite."""

from tianmen_events.base import DomainEvent
from tianmen_events.envelope import EnvelopeError, EventMeta, Message, decode, encode
from tianmen_events.ids import derive_id

__all__ = ["DomainEvent", "EnvelopeError", "EventMeta", "Message", "decode", "derive_id", "encode"]
