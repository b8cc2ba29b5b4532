"""A replay's duplicate guard: the live guard's rule, kept in memory instead of in the store.

A replay reads each partition once, from offset 0, in order, into a store it has to itself. Its
transactions therefore need not ask the store what was applied nor write a row per event: the
window of event ids (the latest `window` offsets of each partition) and the highest offsets
live here, and are written to the store once, when the replay ends, so the rebuilt store's
guard holds what a live consumer's would. Why that is still exactly-once in effect:
docs/decisions.md ("a replay's duplicate guard").
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from sqlalchemy import Connection

from tianmen_runtime.db import consumer_offsets, processed_events
from tianmen_runtime.driver_sql import insert_rows
from tianmen_runtime.tracking import Delivery, Partition, Seen, within_window


class ReplayWindow:
    """Every transaction's guard during one replay (`Applying(guard=window)`)."""

    def __init__(self, consumer: str, window: int) -> None:
        self.consumer, self.window = consumer, window
        self.high: dict[Partition, int] = {}
        self.seen: dict[str, Seen] = {}
        self.kept: dict[Partition, deque[Delivery]] = {}

    def __call__(
        self, conn: Connection, consumer: str, deliveries: Sequence[Delivery], window: int
    ) -> _Transaction:
        return _Transaction(self)

    def commit(self, applied: Sequence[Delivery], high: dict[Partition, int]) -> None:
        """What one transaction applied joins the window; ids older than it leave."""
        for delivery in applied:
            self.seen[delivery.event_id] = (delivery.at, delivery.offset)
            self.kept.setdefault(delivery.at, deque()).append(delivery)
        self.high.update(high)
        for at, kept in self.kept.items():
            below = self.high.get(at, -1) - self.window
            while kept and kept[0].offset <= below:
                gone = kept.popleft()
                if self.seen.get(gone.event_id) == (gone.at, gone.offset):
                    del self.seen[gone.event_id]

    def write(self, conn: Connection) -> None:
        """The store's guard as a live consumer would have left it: offsets and window ids."""
        offsets = [
            {"consumer": self.consumer, "topic": t, "partition": p, "offset": o}
            for (t, p), o in sorted(self.high.items())
        ]
        ids = [
            {
                "consumer": self.consumer,
                "event_id": d.event_id,
                "topic": d.topic,
                "partition": d.partition,
                "offset": d.offset,
            }
            for kept in self.kept.values()
            for d in kept
        ]
        insert_rows(conn, consumer_offsets, offsets)
        insert_rows(conn, processed_events, ids)


class _Transaction:
    """One transaction's view: the window so far plus what it applied, merged at `record`
    (a transaction rolled back for a poison record leaves the window as it was)."""

    def __init__(self, window: ReplayWindow) -> None:
        self.window = window
        self.high: dict[Partition, int] = {}
        self.seen: dict[str, Seen] = {}
        self.applied: list[Delivery] = []

    def is_duplicate(self, delivery: Delivery) -> bool:
        at = delivery.at
        if delivery.offset <= self.high.get(at, self.window.high.get(at, -1)):
            return True
        event_id, size = delivery.event_id, self.window.window
        seen = self.seen.get(event_id) or self.window.seen.get(event_id)
        return within_window(seen, delivery, size)

    def passed(self, delivery: Delivery, *, applied: bool) -> None:
        at = delivery.at
        self.high[at] = max(delivery.offset, self.high.get(at, self.window.high.get(at, -1)))
        if applied:
            self.seen[delivery.event_id] = (at, delivery.offset)
            self.applied.append(delivery)

    def record(self) -> None:
        self.window.commit(self.applied, self.high)
