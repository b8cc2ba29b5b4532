"""Hazards and the orders they lead to (topic `safety.case`, on the enterprise's docket like its
cases): a rectification order with a deadline, or a stop-use order; the deadline passing by
event time, and the re-inspection that closes an order.

A stop-use order reaches the registry and telemetry as `MachineStopUseOrdered` (and its lifting
as `MachineStopUseLifted`) on `safety.enterprise`, which safety derives from these events.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from tianmen_events.base import DomainEvent
from tianmen_events.catalog import event
from tianmen_events.codes import Severity, wire_enum
from tianmen_events.instants import Instant
from tianmen_events.topics import SAFETY_CASE


class OrderKind(StrEnum):
    RECTIFY = "rectify"
    """Rectify by the deadline; the machine may keep working meanwhile."""
    STOP_USE = "stop_use"
    """The machine must not work until a re-inspection passes."""


class _OrderEvent(DomainEvent):
    topic = SAFETY_CASE.name
    subject = "docket_id"

    docket_id: str
    enterprise_id: str
    order_id: str


@event
class HazardRecorded(_OrderEvent):
    """A hazard an inspector found on a machine, and the order it led to."""

    type = "tianmen.safety.hazard_recorded"

    hazard_id: str
    machine_id: str
    severity: Annotated[Severity, wire_enum(Severity, "How grave the hazard is")]
    major: bool = Field(description="A major hazard by the national criteria: stop-use")
    description: str
    found_at: Instant
    kind: Annotated[OrderKind, wire_enum(OrderKind, "The order it led to")]
    due_at: Instant | None = Field(description="The rectification deadline (rectify only)")
    jurisdiction: str | None = None
    campaign_id: str | None = None
    inspection_id: str | None = None
    actor: str


@event
class RectificationOverdue(_OrderEvent):
    """The deadline passed with no passed re-inspection (decided by event time)."""

    type = "tianmen.safety.rectification_overdue"

    machine_id: str
    due_at: Instant


@event
class ReinspectionRecorded(_OrderEvent):
    """A re-inspection of the order's machine: passed closes the order (lifts a stop-use)."""

    type = "tianmen.safety.reinspection_recorded"

    machine_id: str
    passed: bool
    note: str = ""
    at: Instant
    actor: str
