"""Events produced by the registry: enterprises, machines, terminal bindings."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from tianmen_events.base import DomainEvent
from tianmen_events.catalog import Payload, event, upcaster
from tianmen_events.topics import REGISTRY_ENTERPRISE, REGISTRY_MACHINE

# JT/T 808 terminal id: the terminal's phone number, 11-20 digits (2013: 12 BCD, 2019: 20).
TERMINAL_ID_PATTERN = r"^[0-9]{11,20}$"


class MachineKind(StrEnum):
    EXCAVATOR = "excavator"
    TRUCK_CRANE = "truck_crane"
    CRAWLER_CRANE = "crawler_crane"
    TOWER_CRANE = "tower_crane"
    CONSTRUCTION_HOIST = "construction_hoist"
    CONCRETE_PUMP_TRUCK = "concrete_pump_truck"
    LOADER = "loader"
    BULLDOZER = "bulldozer"
    ROAD_ROLLER = "road_roller"
    OTHER = "other"


@event
class EnterpriseRegistered(DomainEvent):
    """v2 added `division_code` (the administrative division the enterprise is registered in)."""

    type = "tianmen.registry.enterprise_registered"
    version = 2
    topic = REGISTRY_ENTERPRISE.name
    subject = "enterprise_id"

    enterprise_id: str
    uscc: str = Field(description="Unified social credit code (GB 32100-2015)")
    name: str
    division_code: str = Field(description="6-digit administrative division code (GB/T 2260)")
    address: str = ""


@upcaster(EnterpriseRegistered.type, from_version=1)
def enterprise_registered_v1_to_v2(payload: Payload) -> Payload:
    """v1 had no division code; the USCC carries it in characters 3-8 (GB 32100-2015)."""
    return {**payload, "division_code": str(payload["uscc"])[2:8]}


@event
class MachineRegistered(DomainEvent):
    type = "tianmen.registry.machine_registered"
    topic = REGISTRY_MACHINE.name
    subject = "machine_id"

    machine_id: str
    enterprise_id: str
    kind: MachineKind
    brand: str
    model: str
    serial_number: str = Field(description="Manufacturer's serial (factory) number")


@event
class TerminalBound(DomainEvent):
    type = "tianmen.registry.terminal_bound"
    topic = REGISTRY_MACHINE.name
    subject = "machine_id"

    machine_id: str
    enterprise_id: str
    terminal_id: str = Field(description="JT/T 808 terminal id (the terminal's phone number)")
