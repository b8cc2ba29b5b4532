"""Machine events: registration with its identity and attributes, terminal bindings."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from tianmen_events.base import DomainEvent
from tianmen_events.catalog import Payload, event, upcaster
from tianmen_events.topics import REGISTRY_MACHINE

# JT/T 808 terminal id: the terminal's phone number, 11-20 digits (2013: 12 BCD, 2019: 20).
TERMINAL_ID_PATTERN = r"^[0-9]{11,20}$"
TIANMEN = "429006"


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
    FORKLIFT = "forklift"
    MOTOR_GRADER = "motor_grader"
    PILE_DRIVER = "pile_driver"
    AERIAL_WORK_PLATFORM = "aerial_work_platform"
    CONCRETE_MIXER_TRUCK = "concrete_mixer_truck"
    OTHER = "other"


# Hoisting machinery (起重机械), supervised as high-risk special equipment.
HOISTING_KINDS = frozenset(
    {
        MachineKind.TRUCK_CRANE,
        MachineKind.CRAWLER_CRANE,
        MachineKind.TOWER_CRANE,
        MachineKind.CONSTRUCTION_HOIST,
    }
)


class PowerType(StrEnum):
    DIESEL = "diesel"
    ELECTRIC = "electric"
    HYBRID = "hybrid"
    OTHER = "other"


class EmissionStage(StrEnum):
    """Non-road mobile machinery emission stages (GB 20891)."""

    STAGE_I = "I"
    STAGE_II = "II"
    STAGE_III = "III"
    STAGE_IV = "IV"
    NOT_APPLICABLE = "n/a"


@event
class MachineRegistered(DomainEvent):
    """v2 added the jurisdiction, the high-risk flag, the identity and attribute fields."""

    type = "tianmen.registry.machine_registered"
    version = 2
    topic = REGISTRY_MACHINE.name
    subject = "machine_id"

    machine_id: str
    enterprise_id: str
    kind: MachineKind
    brand: str = Field(description="Brand as written by the enterprise")
    model: str
    serial_number: str = Field(description="Manufacturer's serial (factory) number / PIN")
    jurisdiction_code: str
    high_risk: bool = Field(description="Hoisting machinery: derived from the kind")
    brand_key: str = Field(default="", description="Normalised brand (alias table, NFKC, casefold)")
    engine_number: str = ""
    manufacture_date: date | None = None
    rated_power_kw: float | None = None
    emission_stage: EmissionStage | None = None
    power_type: PowerType | None = None
    environmental_code: str = Field(default="", description="NRMM environmental code (环保编码)")
    crane_filing_number: str = Field(default="", description="Crane filing number (备案编号)")
    actor: str | None = None
    # Added without a version bump: it has a default, so older registrations still decode.
    fuel_tank_litres: float | None = Field(
        default=None,
        description="Fuel tank capacity in litres: a JT/T 808 terminal's litres become percent",
    )


@upcaster(MachineRegistered.type, from_version=1)
def machine_registered_v1_to_v2(payload: Payload) -> Payload:
    """Machines registered before jurisdictions belong to the city center; high risk follows
    from the kind, as it does for new registrations."""
    return {
        **payload,
        "jurisdiction_code": TIANMEN,
        "high_risk": payload["kind"] in HOISTING_KINDS,
    }


@event
class TerminalBound(DomainEvent):
    type = "tianmen.registry.terminal_bound"
    topic = REGISTRY_MACHINE.name
    subject = "machine_id"

    machine_id: str
    enterprise_id: str
    terminal_id: str = Field(description="JT/T 808 terminal id (the terminal's phone number)")
