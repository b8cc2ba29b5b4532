"""The asyncio TCP server: one `Session` per connection, and the downlink to online terminals.

Each connection reads with an idle timeout, cuts the stream into frames and lets `platform`
answer each message; nothing a terminal sends ends the loop except closing the connection.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from tianmen_telemetry.jt808 import platform
from tianmen_telemetry.jt808.batching import BatchingIntake
from tianmen_telemetry.jt808.framing import FrameSplitter
from tianmen_telemetry.jt808.idle import IdleWatch
from tianmen_telemetry.jt808.messages.general import Result
from tianmen_telemetry.jt808.messages.ids import MessageId
from tianmen_telemetry.jt808.messages.text import urgent
from tianmen_telemetry.jt808.metrics import CONNECTIONS, CONNECTIONS_CLOSED, TEXT_MESSAGES
from tianmen_telemetry.jt808.ports import ReportIntake, TerminalBindings
from tianmen_telemetry.jt808.session import (
    Context,
    Jt808Settings,
    Send,
    Session,
    TerminalOffline,
)

log = logging.getLogger(__name__)
READ_SIZE = 4096
_RESULTS = {r.value: r.name.lower() for r in Result}  # text outcomes: success, failure, …


@dataclass(frozen=True)
class TextDelivery:
    """A text message and the terminal's answer (0 success, 1 failure, 2 error, 3 unsupported)."""

    terminal_id: str
    text: str
    result: int


class Jt808Server:
    def __init__(
        self,
        settings: Jt808Settings,
        bindings: TerminalBindings,
        intake: ReportIntake,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.context = Context(settings, bindings, BatchingIntake(intake), clock)
        self._connections = 0
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self, host: str, port: int, *, reuse_port: bool = False) -> asyncio.Server:
        """Listen; `reuse_port`: beside other processes on the same port (SO_REUSEPORT)."""
        return await asyncio.start_server(self._serve, host, port, reuse_port=reuse_port or None)

    async def drain(self, timeout: float) -> None:
        """After the listener closed (SIGTERM): answer the reports in flight, for up to
        `timeout` seconds, then hang up on every terminal; each reconnects, to another pod."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.context.intake.busy and loop.time() < deadline:
            await asyncio.sleep(0.05)
        for writer in list(self._writers):
            writer.close()

    def is_online(self, terminal_id: str) -> bool:
        return terminal_id in self.context.online

    async def send_text(self, terminal_id: str, text: str) -> TextDelivery:
        """Show and read `text` in the cab; the terminal's 0x0001 result.

        Raises `TerminalOffline` (not logged in, or gone before answering) or `TimeoutError`.
        """
        session = self.context.online.get(terminal_id)
        if session is None:
            TEXT_MESSAGES.labels("offline").inc()
            raise TerminalOffline(terminal_id)
        body = urgent(text, session.is_2019).encode(session.is_2019)
        try:
            result = await session.request(
                MessageId.TEXT_MESSAGE, body, self.context.settings.text_timeout
            )
        except TimeoutError:
            TEXT_MESSAGES.labels("timeout").inc()
            raise
        except TerminalOffline:
            TEXT_MESSAGES.labels("disconnected").inc()
            raise
        TEXT_MESSAGES.labels(_outcome(result)).inc()
        log.info("jt808 text to %s answered %d", terminal_id, result)
        return TextDelivery(terminal_id, text, result)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._connections >= self.context.settings.max_connections:
            CONNECTIONS_CLOSED.labels("over_limit").inc()
            writer.close()
            return
        self._connections += 1
        self._writers.add(writer)
        CONNECTIONS.inc()
        session = Session(self.context, _sender(writer))
        try:
            CONNECTIONS_CLOSED.labels(await self._converse(session, reader)).inc()
        finally:
            session.closed()
            self._writers.discard(writer)
            self._connections -= 1
            CONNECTIONS.dec()
            writer.close()

    async def _converse(self, session: Session, reader: asyncio.StreamReader) -> str:
        """Answer messages until the terminal hangs up or falls silent; returns why it ended."""
        splitter = FrameSplitter()
        idle = IdleWatch(self.context.settings.idle_timeout)
        try:
            while data := await idle.read(reader, READ_SIZE):
                for frame in splitter.feed(data):
                    message = await session.unpack(frame)
                    if message is not None:
                        await platform.dispatch(session, *message)
        except TimeoutError:
            return "idle"
        except ConnectionError:
            return "reset"
        except Exception:
            # A fault of ours (e.g. the bindings store is down): this connection ends, logged
            # and counted; the terminal reconnects and resends what was not answered.
            log.exception("jt808 session of %s failed", session.terminal_id)
            return "error"
        finally:
            idle.close()
        return "eof"


def _outcome(result: int) -> str:
    return _RESULTS.get(result, str(result))


def _sender(writer: asyncio.StreamWriter) -> Send:
    async def send(frame: bytes) -> None:
        writer.write(frame)
        await writer.drain()

    return send
