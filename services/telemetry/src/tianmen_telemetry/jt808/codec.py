"""Whole messages: a frame on the wire ⇄ (header, body bytes); bodies are in `messages/`."""

from __future__ import annotations

from tianmen_telemetry.jt808 import framing, header
from tianmen_telemetry.jt808.header import Header


def decode(frame: bytes) -> tuple[Header, bytes]:
    """The escaped bytes between two 0x7e → header and body; raises a `ProtocolError`."""
    return header.parse(framing.unwrap(frame))


def encode(head: Header, body: bytes) -> bytes:
    """Header and body → the delimited, check-coded, escaped frame."""
    return framing.wrap(header.build(head, body))
