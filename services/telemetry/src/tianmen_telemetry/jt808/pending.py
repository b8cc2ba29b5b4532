"""Stop-use texts still owed to a cab, as every server process keeps them (decisions 100, 102).

Every process reads every order (`feed`) and keeps it here under its machine, not under a
terminal: the terminal the text goes to is the one bound to the machine when it is sent (a
terminal replaced before the cab was reached is not sent it; its successor is). An order is
kept until the text is shown or refused (by any process: the store says so), the order is
lifted, or it was published longer ago than the window. A terminal that logs in is sent what
its machine is owed.

What is recorded for one order (`StopUseTextDelivered`) follows one rule, `should_record`:
a final outcome (the cab answered) once; a provisional one (offline, timeout, no terminal: the
cab was not reached yet) only if nothing at all was recorded before. So an order has at most
two records: "not reached when ordered", then "shown" when a terminal of the machine answered.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from tianmen_events import EventMeta
from tianmen_events.safety import MachineStopUseOrdered
from tianmen_events.telemetry import TextOutcome

FINAL = frozenset({TextOutcome.SHOWN, TextOutcome.REFUSED})


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
    """The cab answered: nothing is owed any more."""
    return not FINAL.isdisjoint(recorded)


class PendingTexts:
    """Orders owed, by machine; shared by the feed's thread and the server's (a lock)."""

    def __init__(self, window: timedelta) -> None:
        self.window = window
        self._by_machine: dict[str, dict[str, Owed]] = {}
        self._machine_of: dict[str, str] = {}  # order id -> machine id
        self._lock = threading.Lock()

    def add(self, owed: Owed) -> None:
        """Keep an order (one read again is kept once)."""
        order_id, machine_id = owed.order.order_id, owed.order.machine_id
        with self._lock:
            self._by_machine.setdefault(machine_id, {})[order_id] = owed
            self._machine_of[order_id] = machine_id

    def settled(self, order_id: str) -> None:
        """Shown, refused or lifted: nothing to send any more."""
        with self._lock:
            machine_id = self._machine_of.pop(order_id, None)
            if machine_id is None:
                return
            owed = self._by_machine[machine_id]
            owed.pop(order_id, None)
            if not owed:
                del self._by_machine[machine_id]

    def owed(self, machine_id: str, now: datetime) -> list[Owed]:
        """What `machine_id` is owed, oldest first; orders older than the window are dropped."""
        with self._lock:
            owed = list(self._by_machine.get(machine_id, {}).values())
        since = now - self.window
        for expired in (item for item in owed if item.published < since):
            self.settled(expired.order.order_id)
        return sorted((item for item in owed if item.published >= since), key=_oldest_first)

    def machines(self) -> list[str]:
        """The machines owed anything now (a copy: others may change it meanwhile)."""
        with self._lock:
            return list(self._by_machine)

    def owes(self, machine_id: str) -> bool:
        """Cheap, for every login: whether anything is kept for `machine_id`."""
        return machine_id in self._by_machine

    def __len__(self) -> int:
        return len(self._machine_of)


def _oldest_first(owed: Owed) -> tuple[datetime, datetime]:
    return owed.published, owed.order.ordered_at
