"""Stop-use texts still owed to a cab, as every server process keeps them (decision 100).

Every process reads every order (`feed`) and keeps it here under the terminal bound to the
machine, until the text is shown or refused (by any process: the store says so), the order is
lifted, or it was published longer ago than the window. A terminal that logs in is sent what it is owed.

What is recorded for one order (`StopUseTextDelivered`) follows one rule, `should_record`:
a final outcome (the cab answered, or there is no terminal) once; a provisional one (offline,
timeout: the cab was not reached yet) only if nothing at all was recorded before. So an order
has at most two records: "not reached when ordered", then "shown" when the terminal came back.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from tianmen_events import EventMeta
from tianmen_events.safety import MachineStopUseOrdered
from tianmen_events.telemetry import TextOutcome

FINAL = frozenset({TextOutcome.SHOWN, TextOutcome.REFUSED, TextOutcome.NO_TERMINAL})


@dataclass(frozen=True)
class Owed:
    order: MachineStopUseOrdered
    meta: EventMeta  # the order's: the record's cause
    published: datetime  # when it reached the topic; the window counts from that


def should_record(recorded: Collection[TextOutcome], outcome: TextOutcome) -> bool:
    """Whether `outcome` is recorded for an order that already has `recorded`."""
    if outcome in FINAL:
        return FINAL.isdisjoint(recorded)
    return not recorded


def is_settled(recorded: Collection[TextOutcome]) -> bool:
    """The cab answered (or there is none): nothing is owed any more."""
    return not FINAL.isdisjoint(recorded)


class PendingTexts:
    """Orders owed, by terminal; shared by the feed's thread and the server's (a lock)."""

    def __init__(self, window: timedelta) -> None:
        self.window = window
        self._by_terminal: dict[str, dict[str, Owed]] = {}
        self._terminal_of: dict[str, str] = {}  # order id -> terminal id
        self._lock = threading.Lock()

    def add(self, owed: Owed, terminal_id: str) -> None:
        order_id = owed.order.order_id
        self.settled(order_id)  # an order read again is kept once (its terminal may differ)
        with self._lock:
            self._by_terminal.setdefault(terminal_id, {})[order_id] = owed
            self._terminal_of[order_id] = terminal_id

    def settled(self, order_id: str) -> None:
        """Shown, refused or lifted: nothing to send any more."""
        with self._lock:
            terminal_id = self._terminal_of.pop(order_id, None)
            owed = self._by_terminal.get(terminal_id or "", {})
            owed.pop(order_id, None)
            if terminal_id is not None and not owed:
                del self._by_terminal[terminal_id]

    def owed(self, terminal_id: str, now: datetime) -> list[Owed]:
        """What `terminal_id` is owed, oldest first; orders older than the window are dropped."""
        with self._lock:
            owed = list(self._by_terminal.get(terminal_id, {}).values())
        since = now - self.window
        for expired in (item for item in owed if item.published < since):
            self.settled(expired.order.order_id)
        return sorted((item for item in owed if item.published >= since), key=_oldest_first)

    def owes(self, terminal_id: str) -> bool:
        """Cheap, for every login: whether anything is kept for `terminal_id`."""
        return terminal_id in self._by_terminal

    def __len__(self) -> int:
        return len(self._terminal_of)


def _oldest_first(owed: Owed) -> tuple[datetime, datetime]:
    return owed.published, owed.order.ordered_at
