"""One terminal connection: decode each frame, join sub-packages, send in the terminal's form.

A session knows its terminal once it authenticated; before that only registration and
authentication are answered with anything but failure. Replies use the header form (2013 or
2019) the terminal used, and its phone number (its own, once logged in).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from tianmen_telemetry.jt808 import codec
from tianmen_telemetry.jt808.batching import BatchingIntake
from tianmen_telemetry.jt808.errors import ProtocolError
from tianmen_telemetry.jt808.header import Header
from tianmen_telemetry.jt808.items import DEFAULT_IDS, ItemIds
from tianmen_telemetry.jt808.messages.general import GeneralResponse, Result
from tianmen_telemetry.jt808.messages.ids import MessageId
from tianmen_telemetry.jt808.metrics import ONLINE, PROTOCOL_ERRORS, message_received
from tianmen_telemetry.jt808.ports import TerminalBindings
from tianmen_telemetry.jt808.reassembly import Reassembler

log = logging.getLogger(__name__)
Send = Callable[[bytes], Awaitable[None]]


class TerminalOffline(Exception):
    """No authenticated connection from this terminal (any more)."""


@dataclass(frozen=True)
class Jt808Settings:
    secret: bytes  # derives auth codes; the same on every server instance
    idle_timeout: float = 180.0  # seconds without a byte before the connection is closed
    max_connections: int = 10_000
    text_timeout: float = 10.0  # seconds to wait for a terminal's answer to 0x8300
    max_pending_messages: int = 16  # per connection, messages still missing packages
    max_package_bytes: int = 256 * 1024  # per connection, bytes of those packages
    package_max_age: float = 60.0
    items: ItemIds = DEFAULT_IDS  # the custom additional items of engine hours and number


@dataclass
class Context:
    """What every session shares: settings, the two ports, who is online, a monotonic clock."""

    settings: Jt808Settings
    bindings: TerminalBindings
    intake: BatchingIntake
    clock: Callable[[], float]
    online: dict[str, Session] = field(default_factory=dict)
    logged_in: Callable[[str, str], None] = field(default=lambda terminal_id, machine_id: None)
    """Told of each login once it is answered, with the terminal's machine as the login read
    it (the stop-use texts the machine is owed, `feed`)."""


class Session:
    def __init__(self, context: Context, send: Send) -> None:
        self.context = context
        self.terminal_id: str | None = None
        self._send = send
        self._last: Header | None = None
        self._serial = -1
        self._waiting: dict[int, asyncio.Future[int]] = {}
        settings = context.settings
        self._packages = Reassembler(
            max_pending=settings.max_pending_messages,
            max_bytes=settings.max_package_bytes,
            max_age=settings.package_max_age,
        )

    async def unpack(self, frame: bytes | ProtocolError) -> tuple[Header, bytes] | None:
        """The message a frame completes, if any; bad frames are counted and dropped."""
        try:
            if isinstance(frame, ProtocolError):
                raise frame
            header, body = codec.decode(frame)
            if self.terminal_id in (None, header.terminal_id):
                self._last = header  # once logged in, replies keep the terminal's own phone
            now = self.context.clock()
            self._packages.expire(now=now)
            whole = self._packages.add(header, body, now=now)
        except ProtocolError as error:
            PROTOCOL_ERRORS.labels(type(error).__name__).inc()
            log.warning("jt808 frame refused: %s", error.reason)
            return None
        message_received(header.message_id).inc()
        if whole is None:
            await self.respond(header, Result.SUCCESS)  # a package of a longer message
            return None
        return header, whole

    async def respond(self, to: Header, result: Result) -> None:
        """The platform general response 0x8001 to one message."""
        body = GeneralResponse(to.serial, to.message_id, result).encode()
        await self.send(MessageId.PLATFORM_RESPONSE, body)

    async def send(self, message_id: int, body: bytes) -> int:
        """Send one message in the terminal's header form; returns its serial number."""
        assert self._last is not None, "a session replies only after the terminal spoke"
        self._serial = (self._serial + 1) & 0xFFFF
        head = Header(message_id, self._last.phone, self._serial, self._last.protocol_version)
        await self._send(codec.encode(head, body))
        return self._serial

    @property
    def is_2019(self) -> bool:
        return self._last is not None and self._last.is_2019

    def authenticated(self, terminal_id: str) -> None:
        self.logged_out()
        self.terminal_id = terminal_id
        self.context.online[terminal_id] = self
        ONLINE.set(len(self.context.online))

    def logged_out(self) -> None:
        if self.terminal_id and self.context.online.get(self.terminal_id) is self:
            del self.context.online[self.terminal_id]
            ONLINE.set(len(self.context.online))
        self.terminal_id = None

    def closed(self) -> None:
        terminal_id = self.terminal_id
        self.logged_out()
        for waiting in self._waiting.values():
            if not waiting.done():
                waiting.set_exception(TerminalOffline(f"{terminal_id} disconnected"))

    async def request(self, message_id: int, body: bytes, timeout: float) -> int:
        """Send a platform message and wait for the terminal's 0x0001 result (TimeoutError)."""
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        serial = (self._serial + 1) & 0xFFFF
        self._waiting[serial] = future
        try:
            await self.send(message_id, body)
            return await asyncio.wait_for(future, timeout)
        except ConnectionError as exc:
            raise TerminalOffline(f"{self.terminal_id} disconnected") from exc
        finally:
            self._waiting.pop(serial, None)

    def answered(self, response: GeneralResponse) -> None:
        waiting = self._waiting.get(response.serial)
        if waiting is not None and not waiting.done():
            waiting.set_result(response.result)
