"""The JT/T 808 server as a background loop of the service's process (`Loop` in the runtime):
its own event loop in its own thread, and a blocking downlink for the other threads.

Stopping (SIGTERM: a rolling update, a scale-down) closes the listener first, answers the
reports in flight for up to `drain_timeout` seconds, then hangs up on every terminal, which
reconnects to another pod (decision 100)."""

from __future__ import annotations

import asyncio
import logging
import threading

from prometheus_client import start_http_server
from tianmen_runtime.service import Loop

from tianmen_telemetry.jt808.server import Jt808Server, TextDelivery
from tianmen_telemetry.jt808.session import TerminalOffline

log = logging.getLogger(__name__)


class Jt808Runner:
    def __init__(
        self,
        server: Jt808Server,
        host: str,
        port: int,
        *,
        reuse_port: bool = False,
        drain_timeout: float = 10.0,
    ) -> None:
        self.server = server
        self.host, self.port, self.reuse_port = host, port, reuse_port
        self.drain_timeout = drain_timeout
        self.listening = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def __call__(self, stop: threading.Event) -> None:
        """Serve until `stop` is set (the runtime's loop signature)."""
        asyncio.run(self._serve(stop))

    def send_text(self, terminal_id: str, text: str, timeout: float = 30.0) -> TextDelivery:
        """From any thread but the server's: send a text message and wait for the answer
        (`TerminalOffline` while the server is not listening: it holds no terminal)."""
        if self._loop is None or not self.listening.is_set():  # starting, or stopping
            raise TerminalOffline(f"{terminal_id}: the JT/T 808 server is not running")
        call = self.server.send_text(terminal_id, text)
        return asyncio.run_coroutine_threadsafe(call, self._loop).result(timeout)

    async def _serve(self, stop: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        listener = await self.server.start(self.host, self.port, reuse_port=self.reuse_port)
        self.port = listener.sockets[0].getsockname()[1]
        log.info("jt808 listening on %s:%d", self.host, self.port)
        self.listening.set()
        try:
            await asyncio.to_thread(stop.wait)
        finally:
            self.listening.clear()
            listener.close()  # no new connection; those held finish what is in flight
            await self.server.drain(self.drain_timeout)


RESTART_AFTER = 5.0  # seconds before a loop that failed (the broker away, say) runs again


def after_listening(runner: Jt808Runner, loop: Loop, stop: threading.Event) -> None:
    """Orders are read only once terminals can be reached; a loop that fails is logged and
    run again (its consumer made anew), never left dead beside a server that still serves."""
    while not runner.listening.wait(0.5):
        if stop.is_set():
            return
    while not stop.is_set():
        try:
            loop(stop)
        except Exception:
            log.exception("jt808 loop %s failed; restarting", getattr(loop, "__name__", loop))
            stop.wait(RESTART_AFTER)


def metrics_once_listening(
    runner: Jt808Runner, host: str, port: int, stop: threading.Event
) -> None:
    """`/metrics` answers once this process takes connections: the pod's probes and the
    bench wait on it."""
    while not runner.listening.wait(0.5):
        if stop.is_set():
            return
    start_http_server(port, addr=host)
