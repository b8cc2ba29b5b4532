"""The idle timeout of a connection's reads, without a timer for each read.

A timeout scope around every read (`asyncio.timeout`) schedules a timer and cancels it again:
4.5 us a read, one read for each report, and thousands of cancelled timers in the loop's heap.
`IdleWatch` keeps one timer per connection instead: a read notes when it began, and the timer
looks at that when it falls due; it cancels the reading task only if a read has been waiting
`timeout` seconds, else sets itself for the earliest moment one could have. The time between
reads (the session waiting on the broker, answering) is not counted, as with a scope per read.
"""

from __future__ import annotations

import asyncio


class IdleWatch:
    def __init__(self, timeout: float) -> None:
        self._timeout = timeout
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        self._began: float | None = None  # when the pending read began; None: not reading
        self._timer = self._loop.call_later(timeout, self._check)
        self.expired = False

    async def read(self, reader: asyncio.StreamReader, size: int) -> bytes:
        """The next bytes (b"" at the end); TimeoutError after `timeout` s of silence."""
        self._began = self._loop.time()
        try:
            return await reader.read(size)
        except asyncio.CancelledError:
            if self.expired and self._task is not None and self._task.uncancel() == 0:
                raise TimeoutError from None
            raise
        finally:
            self._began = None

    def close(self) -> None:
        self._timer.cancel()

    def _check(self) -> None:
        now = self._loop.time()
        began = self._began
        if began is not None and now - began >= self._timeout and self._task is not None:
            self.expired = True
            self._task.cancel()
            return
        due = now + self._timeout if began is None else began + self._timeout
        self._timer = self._loop.call_at(due, self._check)
