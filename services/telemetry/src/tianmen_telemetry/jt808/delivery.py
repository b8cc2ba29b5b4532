"""One server process's part in stop-use texts (decisions 100, 102): it reads every order, and
sends those whose machine's terminal it holds, now or when a terminal of the machine next logs
in to it.

The text follows the machine: the terminal is the one bound to the machine when the text is
sent, read from the store then (at the order, and again at each login owed one), so a
terminal replaced before the cab was reached is not sent it and its successor is. A text is
sent only if the store holds no final outcome for its order (any process of any pod may have
sent it); the terminal's answer is recorded (`TextRecords.record`, once) and settles the
order. A terminal that is gone or does not answer, or a machine with none, keeps it owed: it
is sent when a terminal of the machine logs in (a timeout is recorded, once, as the unreached
rule's offline would be), or, when a terminal already logged in here is bound to the machine
since it was last tried, at the next `rebound` sweep: a terminal that stays connected for days
is not left to wait for its next login.
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
        self._tried: dict[str, str] = {}  # machine id -> the terminal last sent its texts here

    def ordered(self, order: MachineStopUseOrdered, meta: EventMeta, published: datetime) -> None:
        """Keep the order for its machine; send it now if this process holds its terminal (a
        machine with none keeps it too: the unreached rule records `no_terminal`, and a
        terminal bound to the machine later is sent it when it logs in)."""
        self.pending.add(Owed(order, meta, published))
        terminal_id = self.records.terminal_of(order.machine_id)
        if terminal_id is not None and self.holds(terminal_id):
            self._send_owed(terminal_id, order.machine_id)

    def lifted(self, lifted: MachineStopUseLifted) -> None:
        self.pending.settled(lifted.order_id)  # a lifted order is not shown in the cab later

    def deliver(self, terminal_id: str, machine_id: str) -> None:
        """`terminal_id` logged in here on `machine_id` (as its login read the bindings): send
        it what the machine is owed, if it is still the machine's terminal now (rebound since
        the login, the machine's new terminal is sent it at its own login)."""
        if self.pending.owes(machine_id) and self.records.terminal_of(machine_id) == terminal_id:
            self._send_owed(terminal_id, machine_id)

    def rebound(self) -> None:
        """Send each owed machine's texts to its terminal if that terminal is online here and
        is not the one they were last sent to here: the registry bound it to the machine while
        it was logged in (its login found it on another machine, or on none). A terminal tried
        already is sent again only at its next login, as before."""
        for machine_id in self.pending.machines():
            terminal_id = self.records.terminal_of(machine_id)
            if terminal_id is None or self._tried.get(machine_id) == terminal_id:
                continue
            if self.holds(terminal_id):
                self._send_owed(terminal_id, machine_id)

    def _send_owed(self, terminal_id: str, machine_id: str) -> None:
        """Send `terminal_id` what `machine_id` is owed, oldest first."""
        self._tried[machine_id] = terminal_id
        for owed in self.pending.owed(machine_id, self.clock()):
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
