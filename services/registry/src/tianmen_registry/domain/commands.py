"""What callers ask the registry to do. Plain data; the edges parse, `decide` judges.

`actor` is who gave the command when the edge knows (the gateway's identity work fills it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tianmen_events.registry import Contact, EmissionStage, MachineKind, PowerType


@dataclass(frozen=True)
class RegisterEnterprise:
    uscc: str
    name: str
    address: str = ""
    jurisdiction_code: str | None = None
    contacts: tuple[Contact, ...] = ()
    actor: str | None = None


@dataclass(frozen=True)
class ChangeEnterpriseDetails:
    enterprise_id: str
    name: str | None = None
    address: str | None = None
    jurisdiction_code: str | None = None
    actor: str | None = None


@dataclass(frozen=True)
class ChangeEnterpriseContacts:
    enterprise_id: str
    contacts: tuple[Contact, ...] = field(default_factory=tuple)
    actor: str | None = None


@dataclass(frozen=True)
class RegisterMachine:
    enterprise_id: str
    kind: MachineKind
    brand: str
    model: str
    serial_number: str
    jurisdiction_code: str | None = None
    engine_number: str = ""
    manufacture_date: date | None = None
    rated_power_kw: float | None = None
    emission_stage: EmissionStage | None = None
    power_type: PowerType | None = None
    environmental_code: str = ""
    crane_filing_number: str = ""
    actor: str | None = None
    fuel_tank_litres: float | None = None


@dataclass(frozen=True)
class AmendFuelTank:
    """A machine's fuel tank capacity amended after registration (decision 116)."""

    machine_id: str
    fuel_tank_litres: float
    actor: str | None = None


@dataclass(frozen=True)
class BindTerminal:
    machine_id: str
    terminal_id: str


Command = RegisterEnterprise | RegisterMachine | BindTerminal
