"""Text message 0x8300 (§8.38), platform → terminal; the terminal answers with 0x0001.

2013 body: flag BYTE (bit 0 emergency, bit 2 terminal display, bit 3 TTS read aloud, bit 4
advertising screen, bit 5 CAN fault code), text STRING (GBK). 2019 body: flag BYTE (bits 0–1:
01 service, 10 emergency, 11 notice; bit 2 display; bit 3 TTS; bit 5 CAN fault code), text
type BYTE (1 notice, 2 service), text STRING (GBK, at most 1024 bytes).
The platform sends a text in one package, so at most 1021 bytes fit beside flag and type.
"""

from __future__ import annotations

from dataclasses import dataclass

from tianmen_telemetry.jt808.wire import Reader, gbk

DISPLAY = 1 << 2
TTS = 1 << 3
EMERGENCY_2013 = 1 << 0
EMERGENCY_2019 = 0b10
NOTICE = 1
SERVICE = 2
MAX_TEXT = 1021


@dataclass(frozen=True)
class TextMessage:
    flag: int
    text: str
    text_type: int = NOTICE  # 2019 only

    def encode(self, is_2019: bool) -> bytes:
        text = self.text.encode("gbk")
        if len(text) > MAX_TEXT:
            raise ValueError(f"text of {len(text)} bytes exceeds {MAX_TEXT}")
        return bytes([self.flag, self.text_type] if is_2019 else [self.flag]) + text

    @classmethod
    def decode(cls, body: bytes, is_2019: bool) -> TextMessage:
        r = Reader(body, "text message")
        flag = r.byte("flag")
        text_type = r.byte("text type") if is_2019 else NOTICE
        return cls(flag, gbk(r.rest(), "text"), text_type)


def urgent(text: str, is_2019: bool) -> TextMessage:
    """An emergency notice shown on the terminal's display and read aloud."""
    emergency = EMERGENCY_2019 if is_2019 else EMERGENCY_2013
    return TextMessage(emergency | DISPLAY | TTS, text, NOTICE)
