"""Message ids (§8): terminal → platform are 0x0xxx, platform → terminal 0x8xxx."""

from __future__ import annotations

from enum import IntEnum


class MessageId(IntEnum):
    TERMINAL_RESPONSE = 0x0001
    HEARTBEAT = 0x0002
    LOGOUT = 0x0003  # 终端注销: the terminal deregisters
    REGISTRATION = 0x0100
    AUTHENTICATION = 0x0102
    LOCATION = 0x0200
    BATCH_LOCATION = 0x0704
    PLATFORM_RESPONSE = 0x8001
    REGISTRATION_RESPONSE = 0x8100
    TEXT_MESSAGE = 0x8300
