"""The one rule no two processes apply (decision 100): an order nobody reached in time is
recorded `offline` (`no_terminal` if its machine has none), by the member of the consumer group
`telemetry-jt808-unreached` that owns the order's partition (every pod's first process joins).

It waits until `grace` after the order was published (the text timeout and a margin: the process
holding the terminal has sent it and recorded the answer by then), then records `offline`
(`no_terminal` if the machine has no terminal by then) only if nothing was recorded for the
order (`should_record`). Either is provisional (decision 102): the order stays owed to the
machine, a terminal bound to it is sent it when it logs in, and `shown` follows. Offsets are committed after each
poll; an order read again after a crash finds its record and records nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from kafka import KafkaConsumer
from kafka.errors import KafkaError
from tianmen_events import DomainEvent, EventMeta
from tianmen_events.safety import MachineStopUseOrdered
from tianmen_events.telemetry import TextOutcome

from tianmen_telemetry.jt808.delivery import Records
from tianmen_telemetry.jt808.downlink import stop_use_text
from tianmen_telemetry.jt808.feed import ORDERS, follow
from tianmen_telemetry.jt808.records import delivered

log = logging.getLogger(__name__)
UNREACHED = "telemetry-jt808-unreached"


def unreached_outcome(terminal_id: str | None, recorded: bool) -> TextOutcome | None:
    """What the rule records once the grace is over: nothing if anyone recorded anything."""
    if terminal_id is None:
        return TextOutcome.NO_TERMINAL
    return None if recorded else TextOutcome.OFFLINE


class UnreachedRule:
    def __init__(
        self,
        records: Records,
        grace: timedelta,
        clock: Callable[[], datetime],
        stop: threading.Event,
    ) -> None:
        self.records, self.grace, self.clock, self.stop = records, grace, clock, stop

    def __call__(self, event: DomainEvent, meta: EventMeta, published: datetime) -> None:
        if not isinstance(event, MachineStopUseOrdered):
            return
        terminal_id = self.records.terminal_of(event.machine_id)
        if terminal_id is not None:
            wait = (published + self.grace - self.clock()).total_seconds()
            if wait > 0 and self.stop.wait(wait):
                raise InterruptedError("stopping")  # read again by whoever takes it next
            terminal_id = self.records.terminal_of(event.machine_id)  # as the grace ends
        outcome = unreached_outcome(terminal_id, bool(self.records.outcomes(event)))
        if outcome is not None:
            made = delivered(event, terminal_id, stop_use_text(event), outcome, None, self.clock())
            if self.records.record(made, meta):
                log.info("jt808 order %s recorded %s", event.order_id, outcome.value)


def _commit(consumer: KafkaConsumer, read: bool) -> None:
    """After a poll that read: a commit lost to a rebalance reads those orders again (no harm)."""
    if read:
        try:
            consumer.commit()
        except KafkaError as error:
            log.warning("jt808 unreached offsets not committed: %s", error)


def run_unreached(
    make: Callable[[], KafkaConsumer], rule: UnreachedRule, stop: threading.Event
) -> None:
    consumer = make()
    try:
        consumer.subscribe([ORDERS])
        follow(consumer, rule, stop, partial(_commit, consumer))
    finally:
        consumer.close()
