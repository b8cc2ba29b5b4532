"""General responses: the terminal's 0x0001 (§8.1) and the platform's 0x8001 (§8.2).

Body, both: response serial number WORD, response message id WORD, result BYTE.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from tianmen_telemetry.jt808.wire import Reader, word


class Result(IntEnum):
    SUCCESS = 0  # success / acknowledged
    FAILURE = 1
    MESSAGE_ERROR = 2
    NOT_SUPPORTED = 3
    ALARM_CONFIRMED = 4  # 0x8001 only: alarm handling confirmed


@dataclass(frozen=True)
class GeneralResponse:
    """0x0001 from a terminal, 0x8001 from the platform: the same layout."""

    serial: int  # serial number of the message answered
    message_id: int  # id of the message answered
    result: int

    def encode(self) -> bytes:
        return word(self.serial) + word(self.message_id) + bytes([self.result])

    @classmethod
    def decode(cls, body: bytes) -> GeneralResponse:
        r = Reader(body, "general response")
        return cls(r.word("response serial"), r.word("response id"), r.byte("result"))
