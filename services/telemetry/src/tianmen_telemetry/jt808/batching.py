"""Joins the reports of concurrent sessions into one `submit`: one bindings lookup and one
wait for the broker's acknowledgements for many terminals, instead of one each.

Up to `max_in_flight` submits run at once (each in a worker thread, most of its time waiting
for the broker), so one batch is looked up and encoded while others wait for their acks. While
all of them run, new messages queue; the next free submit takes them all (up to
`max_reports`). Each terminal message stays all-or-nothing: if the joined batch is refused,
every message is submitted again on its own, so one terminal's bad report refuses only its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from tianmen_telemetry.domain.commands import Report
from tianmen_telemetry.domain.ingest import RefusedReports
from tianmen_telemetry.jt808.ports import ReportIntake

Waiting = tuple[Sequence[Report], "asyncio.Future[None]"]


class BatchingIntake:
    def __init__(
        self, intake: ReportIntake, max_reports: int = 1000, max_in_flight: int = 4
    ) -> None:
        self._intake = intake
        self._max_reports = max_reports
        self._max_in_flight = max_in_flight
        self._queue: list[Waiting] = []
        self._draining: set[asyncio.Task[None]] = set()

    @property
    def busy(self) -> bool:
        """Reports queued or waiting for their acknowledgements."""
        return bool(self._queue or self._draining)

    async def submit(self, reports: Sequence[Report]) -> None:
        """Returns once `reports` are durable; raises what `ReportIntake.submit` raised."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((reports, future))
        if len(self._draining) < self._max_in_flight:
            task = asyncio.create_task(self._drain())
            self._draining.add(task)
            task.add_done_callback(self._draining.discard)
        await future

    async def _drain(self) -> None:
        while self._queue:
            batch = self._take()
            outcomes = await asyncio.to_thread(self._submit, [reports for reports, _ in batch])
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if future.done():
                    continue  # the session is gone
                if outcome is None:
                    future.set_result(None)
                else:
                    future.set_exception(outcome)

    def _take(self) -> list[Waiting]:
        size, count = 0, 0
        for reports, _ in self._queue:
            if count and size + len(reports) > self._max_reports:
                break
            size, count = size + len(reports), count + 1
        batch, self._queue = self._queue[:count], self._queue[count:]
        return batch

    def _submit(self, messages: list[Sequence[Report]]) -> list[Exception | None]:
        """In a worker thread: the outcome of each message."""
        try:
            self._intake.submit([report for reports in messages for report in reports])
        except RefusedReports as refused:
            if len(messages) == 1:
                return [refused]
            return [self._alone(reports) for reports in messages]
        except Exception as error:
            return [error] * len(messages)
        return [None] * len(messages)

    def _alone(self, reports: Sequence[Report]) -> Exception | None:
        try:
            self._intake.submit(reports)
        except Exception as error:
            return error
        return None
