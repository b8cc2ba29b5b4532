"""Safety's orders to a machine: a stop-use order (停用令) that must reach the cab.

Defined by telemetry's helper (h16) while safety's desk (h12) is written in parallel: if safety
names its own order event, telemetry's downlink consumes that one instead.
"""

from __future__ import annotations

from pydantic import Field

from tianmen_events.base import DomainEvent
from tianmen_events.catalog import event
from tianmen_events.topics import SAFETY_ENTERPRISE


@event
class MachineStopUseOrdered(DomainEvent):
    """The center orders the machine to stop being used until the order is lifted."""

    type = "tianmen.safety.machine_stop_use_ordered"
    topic = SAFETY_ENTERPRISE.name
    subject = "enterprise_id"

    order_id: str
    enterprise_id: str
    machine_id: str
    reason: str = Field(description="Why, in words the operator in the cab reads")
    actor: str | None = None
