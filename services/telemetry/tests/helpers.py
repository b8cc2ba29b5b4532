"""Shared test data for telemetry: local times, events, applying handlers, a fake sink."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tianmen_events import DomainEvent, EventMeta, derive_id
from tianmen_events.registry import MachineKind, MachineRegistered, TerminalBound
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime.projection import apply_batch
from tianmen_runtime.service import Service
from tianmen_runtime.testing import Record
from tianmen_runtime.unit_of_work import unit_of_work
from tianmen_telemetry import bootstrap
from tianmen_telemetry.config import Settings
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


def box(lat: float, lon: float, half: float) -> dict[str, Any]:
    """A GeoJSON square of `half` degrees either side of (lat, lon)."""
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half]]
    return {"type": "Polygon", "coordinates": [[*ring, [lon - half, lat + half], ring[0]]]}


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


def registered(
    machine_id: str = MACHINE,
    jurisdiction: str = "429006101",
    *,
    enterprise_id: str = ENTERPRISE,
    high_risk: bool = False,
) -> MachineRegistered:
    return MachineRegistered(
        machine_id=machine_id,
        enterprise_id=enterprise_id,
        kind=MachineKind.EXCAVATOR,
        brand="SANY",
        model="SY215C",
        serial_number=f"SN-{machine_id}",
        jurisdiction_code=jurisdiction,
        high_risk=high_risk,
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


def applied(records: Sequence[Record], size: int | list[int], folder: Path) -> Service:
    """`records` applied by the service's subscription in transactions of `size` records (the
    last sizes repeated), on a SQLite file in `folder`."""
    service = bootstrap.build(Settings(database_url=f"sqlite:///{folder / 't.db'}"))
    assert service.subscription is not None
    sizes, start = [size] if isinstance(size, int) else size, 0
    while start < len(records):
        step, sizes = sizes[0], sizes[1:] or sizes
        outcomes = apply_batch(service.engine, service.subscription, records[start : start + step])
        assert not [o for o in outcomes if o not in ("applied", "duplicate", "ignored")], outcomes
        start += step
    return service
