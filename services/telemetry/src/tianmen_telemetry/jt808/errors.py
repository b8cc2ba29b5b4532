"""Typed protocol errors: a bad frame is answered or dropped, never kills a connection loop."""

from __future__ import annotations


class ProtocolError(Exception):
    """A frame or message that does not follow JT/T 808; `reason` says what is wrong."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FrameTooLong(ProtocolError):
    """More bytes between two 0x7e than the largest legal message can take."""


class BadEscape(ProtocolError):
    """0x7d followed by anything but 0x01 or 0x02."""


class CheckCodeMismatch(ProtocolError):
    """The XOR of header and body is not the check code the frame carries."""


class Truncated(ProtocolError):
    """A field runs past the end of the bytes given."""


class BodyLengthMismatch(ProtocolError):
    """The body attributes name another length than the body has."""


class Unsupported(ProtocolError):
    """A well-formed message this platform does not handle (e.g. RSA-encrypted bodies)."""
