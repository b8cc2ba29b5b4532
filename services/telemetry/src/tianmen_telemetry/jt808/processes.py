"""Several server processes on one port (`JT808_PROCESSES`), each with a core of its own.

One process gets about one core (the GIL), however many terminals it holds. With N > 1 the
first process starts N - 1 siblings (`spawn`); every process listens on the same port with
SO_REUSEPORT, so the kernel spreads new connections over them, and each has its own event loop,
producer, kept bindings and `/metrics` (`JT808_METRICS_PORT` + its index). Only the first
consumes stop-use orders (decision 26): a text for a terminal it does not hold is asked of
each sibling in turn over a pipe, and the sibling that holds it sends it and returns the
answer; the order is recorded `offline` only if no process holds the terminal.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from tianmen_telemetry.jt808.downlink import TextSender
from tianmen_telemetry.jt808.server import TextDelivery
from tianmen_telemetry.jt808.session import TerminalOffline

ANSWER_MARGIN = 5.0  # seconds beyond the text timeout a sibling may take to answer


class Sibling:
    """Another server process, reached over a pipe."""

    def __init__(self, process: BaseProcess, connection: Connection, timeout: float) -> None:
        self.process, self._connection, self._timeout = process, connection, timeout
        self._lock = threading.Lock()

    def send_text(self, terminal_id: str, text: str) -> TextDelivery:
        """The sibling's `send_text`; raises `TerminalOffline` or `TimeoutError` as it did."""
        with self._lock:
            try:
                self._connection.send((terminal_id, text))
                if not self._connection.poll(self._timeout + ANSWER_MARGIN):
                    raise TimeoutError(f"process {self.process.pid} did not answer")
                kind, value = self._connection.recv()
            except (EOFError, OSError) as gone:  # its connections went with it
                raise TerminalOffline(f"process {self.process.pid} is gone") from gone
        if kind == "delivered":
            return TextDelivery(terminal_id, text, value)
        if kind == "timeout":
            raise TimeoutError(value)
        raise TerminalOffline(value)

    def stop(self, timeout: float = 30) -> None:
        self._connection.close()  # its pipe ends: the sibling stops
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.terminate()


def routed(local: TextSender, siblings: Sequence[Sibling]) -> TextSender:
    """Send through the process that holds the terminal: this one first, then each sibling."""

    def send(terminal_id: str, text: str) -> TextDelivery:
        for sender in (local, *(s.send_text for s in siblings)):
            try:
                return sender(terminal_id, text)
            except TerminalOffline:
                continue
        raise TerminalOffline(terminal_id)

    return send


def answer_texts(connection: Connection, send: TextSender, stop: threading.Event) -> None:
    """In a sibling: send the texts the first process asks for until its pipe closes."""
    while not stop.is_set():
        try:
            if not connection.poll(0.5):
                continue
            terminal_id, text = connection.recv()
        except (EOFError, OSError):
            break
        try:
            reply: tuple[str, object] = ("delivered", send(terminal_id, text).result)
        except TimeoutError as error:
            reply = ("timeout", str(error))
        except (TerminalOffline, RuntimeError) as error:  # RuntimeError: not listening yet
            reply = ("offline", str(error))
        connection.send(reply)
    stop.set()


def stop_on_signals(stop: threading.Event) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
