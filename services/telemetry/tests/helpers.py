"""Shared test data for telemetry: local times, events, applying handlers, a fake sink."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from tianmen_events import DomainEvent, EventMeta, derive_id
from tianmen_events.registry import MachineKind, MachineRegistered, TerminalBound
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime.service import Service
from tianmen_runtime.unit_of_work import unit_of_work
from tianmen_telemetry.domain.alerting import Seen
from tianmen_telemetry.domain.live_state import LiveState, evolve
from tianmen_telemetry.service_layer.handlers import EVENT_HANDLERS

CST = "+08:00"
TERMINAL = "13800000001"
MACHINE = "machine-1"
ENTERPRISE = "enterprise-1"


def at(local: str) -> datetime:
    """A Tianmen local time, e.g. at("2026-05-11T23:30:00")."""
    return datetime.fromisoformat(local + CST)


def reported(when: datetime, *, working: bool = True, **changes: Any) -> TerminalReported:
    """A report from TERMINAL on MACHINE, with the id ingest would give it."""
    fields: dict[str, Any] = {
        "terminal_id": TERMINAL,
        "machine_id": MACHINE,
        "enterprise_id": ENTERPRISE,
        "reported_at": when,
        "latitude": 30.6531,
        "longitude": 113.1661,
        "working": working,
        **changes,
    }
    instant = when.astimezone(UTC).isoformat()
    fields["report_id"] = derive_id("report", fields["terminal_id"], instant)
    return TerminalReported(**fields)


def seen(report: TerminalReported, before: LiveState | None = None) -> Seen:
    """What a rule sees of `report`, given the machine's live state `before` it."""
    return Seen(report, before, evolve(before, report))


def registered(machine_id: str = MACHINE, jurisdiction: str = "429006101") -> MachineRegistered:
    return MachineRegistered(
        machine_id=machine_id,
        enterprise_id=ENTERPRISE,
        kind=MachineKind.EXCAVATOR,
        brand="SANY",
        model="SY215C",
        serial_number=f"SN-{machine_id}",
        jurisdiction_code=jurisdiction,
        high_risk=False,
    )


def bound(terminal_id: str = TERMINAL, machine_id: str = MACHINE) -> TerminalBound:
    return TerminalBound(machine_id=machine_id, enterprise_id=ENTERPRISE, terminal_id=terminal_id)


def meta_for(event: DomainEvent, event_id: str, time: datetime) -> EventMeta:
    return EventMeta(
        id=event_id,
        source="/tianmen/test",
        time=time,
        subject=event.subject_id(),
        sequence=1,
        correlation_id=f"corr-{event_id}",
        type=event.type,
    )


def apply(
    service: Service, event: DomainEvent, event_id: str = "e-1", when: datetime | None = None
) -> None:
    """Run the subscription's handlers for one event in one transaction, as the consumer does."""
    meta = meta_for(event, event_id, when or at("2026-05-11T12:00:00"))
    with unit_of_work(service.engine, service.source) as uow:
        EVENT_HANDLERS.handle(event, meta, uow)


class FakeSink:
    def __init__(self) -> None:
        self.published: list[TerminalReported] = []

    def publish(self, reports: Sequence[TerminalReported]) -> None:
        self.published.extend(reports)
