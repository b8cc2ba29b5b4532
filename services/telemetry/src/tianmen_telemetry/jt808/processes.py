"""Several server processes on one port (`JT808_PROCESSES`), each with a core of its own.

One process gets about one core (the GIL), however many terminals it holds. With N > 1 the
first process starts N - 1 siblings (`spawn`); every process listens on the same port with
SO_REUSEPORT, so the kernel spreads new connections over them, and each has its own event loop,
producer, kept bindings and `/metrics` (`JT808_METRICS_PORT` + its index). Each reads every
stop-use order itself and sends those whose terminal it holds (decision 100), as a pod does: a
sibling is told nothing but to stop (its pipe closes).
"""

from __future__ import annotations

import signal
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess


class Sibling:
    """Another server process; closing its pipe stops it."""

    def __init__(self, process: BaseProcess, connection: Connection) -> None:
        self.process, self._connection = process, connection

    def stop(self, timeout: float = 30) -> None:
        self._connection.close()  # its pipe ends: the sibling stops
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.terminate()


def until_closed(connection: Connection, stop: threading.Event) -> None:
    """In a sibling: set `stop` once the first process's end of the pipe closes."""
    while not stop.is_set():
        try:
            if connection.poll(0.5):
                connection.recv()  # nothing is sent: readable means closed, and raises
        except (EOFError, OSError):
            break
    stop.set()


def stop_on_signals(stop: threading.Event) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
