"""One server process's part in stop-use texts (decision 100): it reads every order, and sends
those whose terminal it holds, now or when the terminal next logs in to it.

A text is sent only if the store holds no final outcome for its order (any process of any pod
may have sent it); the terminal's answer is recorded (`TextRecords.record`, once) and settles
the order. A terminal that is gone or does not answer keeps it owed: it is sent again when the
terminal logs in (a timeout is recorded, once, as the unreached rule's offline would be).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Protocol

from tianmen_events import EventMeta
from tianmen_events.safety import MachineStopUseLifted, MachineStopUseOrdered
from tianmen_events.telemetry import StopUseTextDelivered, TextOutcome

from tianmen_telemetry.jt808.downlink import TextSender, stop_use_text
from tianmen_telemetry.jt808.messages.general import Result
from tianmen_telemetry.jt808.pending import Owed, PendingTexts, is_settled
from tianmen_telemetry.jt808.records import delivered
from tianmen_telemetry.jt808.session import TerminalOffline

log = logging.getLogger(__name__)


class Records(Protocol):
    def outcomes(self, order: MachineStopUseOrdered) -> Collection[TextOutcome]: ...
    def terminal_of(self, machine_id: str) -> str | None: ...
    def record(self, delivered: StopUseTextDelivered, cause: EventMeta) -> bool: ...


class Deliveries:
    def __init__(
        self,
        records: Records,
        send: TextSender,
        holds: Callable[[str], bool],
        pending: PendingTexts,
        clock: Callable[[], datetime],
    ) -> None:
        self.records, self.send, self.holds = records, send, holds
        self.pending, self.clock = pending, clock

    def ordered(self, order: MachineStopUseOrdered, meta: EventMeta, published: datetime) -> None:
        terminal_id = self.records.terminal_of(order.machine_id)
        if terminal_id is None:
            return  # nothing to send: the unreached rule records `no_terminal`
        self.pending.add(Owed(order, meta, published), terminal_id)
        if self.holds(terminal_id):
            self.deliver(terminal_id)

    def lifted(self, lifted: MachineStopUseLifted) -> None:
        self.pending.settled(lifted.order_id)  # a lifted order is not shown in the cab later

    def deliver(self, terminal_id: str) -> None:
        """Send `terminal_id` what it is owed, oldest first."""
        for owed in self.pending.owed(terminal_id, self.clock()):
            if not self._deliver(owed.order, owed.meta, terminal_id):
                return  # gone or silent: the rest waits for its next login too

    def _deliver(self, order: MachineStopUseOrdered, meta: EventMeta, terminal_id: str) -> bool:
        """Whether the terminal answered (or another process already had it answer)."""
        if is_settled(self.records.outcomes(order)):
            self.pending.settled(order.order_id)
            return True
        text = stop_use_text(order)
        try:
            answer = self.send(terminal_id, text).result
        except TerminalOffline:
            return False
        except TimeoutError:
            self._record(order, meta, terminal_id, text, TextOutcome.TIMEOUT, None)
            return False
        outcome = TextOutcome.SHOWN if answer == Result.SUCCESS else TextOutcome.REFUSED
        self._record(order, meta, terminal_id, text, outcome, answer)
        self.pending.settled(order.order_id)
        return True

    def _record(
        self,
        order: MachineStopUseOrdered,
        meta: EventMeta,
        terminal_id: str,
        text: str,
        outcome: TextOutcome,
        result: int | None,
    ) -> None:
        made = delivered(order, terminal_id, text, outcome, result, self.clock())
        if self.records.record(made, meta):
            log.info("jt808 order %s to %s recorded %s", order.order_id, terminal_id, outcome.value)
        else:
            log.info("jt808 text of order %s already recorded", order.order_id)
