"""Stop-use orders to the cab: when safety orders a machine to stop, the JT/T 808 server sends
its terminal a text message (0x8300, shown and read aloud) and records the terminal's answer
(0x0001) as `StopUseTextDelivered`: the order reached the cab, or why it did not.

Across processes and pods (decision 100): every server process reads every order and sends
those whose terminal it holds, now or at the terminal's next login (`feed`, `delivery`); one
process of the whole deployment, the member of `telemetry-jt808-unreached` that owns the
order's partition, records `offline` (or `no_terminal`) for an order nobody reached in time
(`unreached`). `records` keeps each outcome to once.
"""

from __future__ import annotations

from typing import Protocol

from tianmen_events.safety import MachineStopUseOrdered

from tianmen_telemetry.jt808.server import TextDelivery


class TextSender(Protocol):
    def __call__(self, terminal_id: str, text: str) -> TextDelivery:
        """The terminal's answer; raises `TerminalOffline` or `TimeoutError`."""


def stop_use_text(order: MachineStopUseOrdered) -> str:
    return f"停用通知：本机已被责令停止使用，原因：{order.reason}。令号 {order.order_id}"
