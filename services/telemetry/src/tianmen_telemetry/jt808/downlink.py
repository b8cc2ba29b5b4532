"""Stop-use orders to the cab: when safety orders a machine to stop, the JT/T 808 server sends
its terminal a text message (0x8300, shown and read aloud) and records the terminal's answer
(0x0001) as `StopUseTextDelivered` — the order reached the cab, or why it did not.

It runs as a subscription of its own (`telemetry-jt808-downlink`, on `safety.enterprise`) in
the JT/T 808 process, the one that holds the terminals' connections. An order is tracked like
every consumed event, so it is sent once; a crash between the send and the commit sends it
again, which shows the same notice twice rather than never.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from tianmen_events import EventMeta
from tianmen_events.safety import MachineStopUseOrdered
from tianmen_events.telemetry import StopUseTextDelivered, TextOutcome
from tianmen_events.topics import SAFETY_ENTERPRISE
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.projection import Subscription
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_telemetry.adapters.orm import machines
from tianmen_telemetry.jt808.messages.general import Result
from tianmen_telemetry.jt808.server import TextDelivery
from tianmen_telemetry.jt808.session import TerminalOffline

DOWNLINK = "telemetry-jt808-downlink"


class TextSender(Protocol):
    def __call__(self, terminal_id: str, text: str) -> TextDelivery:
        """The terminal's answer; raises `TerminalOffline` or `TimeoutError`."""


def stop_use_text(order: MachineStopUseOrdered) -> str:
    return f"停用通知：本机已被责令停止使用，原因：{order.reason}。令号 {order.order_id}"


class DeliverStopUse:
    def __init__(self, send: TextSender, clock: Callable[[], datetime]) -> None:
        self.send, self.clock = send, clock

    def __call__(self, order: MachineStopUseOrdered, meta: EventMeta, uow: UnitOfWork) -> None:
        query = select(machines.c.terminal_id).where(machines.c.machine_id == order.machine_id)
        terminal_id = uow.conn.execute(query).scalar()
        text = stop_use_text(order)
        outcome, result = self._send(terminal_id, text)
        delivered = StopUseTextDelivered(
            order_id=order.order_id,
            enterprise_id=order.enterprise_id,
            machine_id=order.machine_id,
            terminal_id=terminal_id,
            text=text,
            outcome=outcome,
            result=result,
            sent_at=self.clock(),
        )
        uow.events.append(
            order.enterprise_id,
            [delivered],
            expected_version=uow.events.version(order.enterprise_id),
            time=delivered.sent_at,
            correlation_id=meta.correlation_id,
            causation_id=meta.id,
        )

    def _send(self, terminal_id: str | None, text: str) -> tuple[TextOutcome, int | None]:
        if terminal_id is None:
            return TextOutcome.NO_TERMINAL, None
        try:
            answer = self.send(terminal_id, text).result
        except TerminalOffline:
            return TextOutcome.OFFLINE, None
        except TimeoutError:
            return TextOutcome.TIMEOUT, None
        return (TextOutcome.SHOWN if answer == Result.SUCCESS else TextOutcome.REFUSED), answer


def downlink_subscription(
    source: str, send: TextSender, clock: Callable[[], datetime]
) -> Subscription:
    handlers = EventHandlers().on(MachineStopUseOrdered, DeliverStopUse(send, clock))
    return Subscription(
        name=DOWNLINK, source=source, topics=(SAFETY_ENTERPRISE.name,), handlers=handlers
    )
