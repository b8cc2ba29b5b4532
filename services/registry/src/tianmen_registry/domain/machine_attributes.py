"""A machine's attributes as given, checked: texts clean, numbers plausible, crane filing."""

from __future__ import annotations

from datetime import date
from typing import Any

from tianmen_events import DomainEvent
from tianmen_events.errors import DomainError, NotFound
from tianmen_events.registry import HOISTING_KINDS, FuelTankAmended

from tianmen_registry.domain.commands import AmendFuelTank, RegisterMachine
from tianmen_registry.domain.machine_state import Machine, Status
from tianmen_registry.domain.text import clean_text

TEXTS = {
    "brand": True,
    "model": True,
    "serial_number": True,
    "engine_number": False,
    "environmental_code": False,
    "crane_filing_number": False,
}  # field -> required
MAX_POWER_KW = 2000.0
MAX_TANK_LITRES = 15_000.0  # above the largest mining excavator's tank
EARLIEST = date(1950, 1, 1)


def checked_attributes(cmd: RegisterMachine) -> dict[str, Any]:
    """The attribute fields of `MachineRegistered`, or a refusal naming the field at fault."""
    texts = {
        field: clean_text(getattr(cmd, field), field, max_length=100, required=required)
        for field, required in TEXTS.items()
    }
    if cmd.rated_power_kw is not None and not 0 < cmd.rated_power_kw <= MAX_POWER_KW:
        raise DomainError(
            f"rated power is above 0 and at most {MAX_POWER_KW} kW", field="rated_power_kw"
        )
    if cmd.fuel_tank_litres is not None:
        check_tank(cmd.fuel_tank_litres)
    if cmd.manufacture_date is not None and cmd.manufacture_date < EARLIEST:
        raise DomainError(f"manufacture date before {EARLIEST}", field="manufacture_date")
    if texts["crane_filing_number"] and cmd.kind not in HOISTING_KINDS:
        raise DomainError(
            "only hoisting machinery has a crane filing number", field="crane_filing_number"
        )
    return {
        **texts,
        "manufacture_date": cmd.manufacture_date,
        "rated_power_kw": cmd.rated_power_kw,
        "emission_stage": cmd.emission_stage,
        "power_type": cmd.power_type,
        "fuel_tank_litres": cmd.fuel_tank_litres,
    }


def check_tank(litres: float) -> None:
    """A tank's capacity, at registration as at an amendment: above 0, at most 15,000 L."""
    if not 0 < litres <= MAX_TANK_LITRES:
        raise DomainError(
            f"fuel tank capacity is above 0 and at most {MAX_TANK_LITRES:g} litres",
            field="fuel_tank_litres",
        )


def decide_fuel_tank(state: Machine | None, cmd: AmendFuelTank) -> list[DomainEvent]:
    """Given the machine as registered (or as amended since), when its tank is amended, then a
    `FuelTankAmended` naming the capacity it replaces, recording who gave it; the same
    capacity again is nothing new (a retried command changes nothing)."""
    if state is None:
        raise NotFound(f"no machine {cmd.machine_id} is registered", field="machine_id")
    if state.status is Status.DEREGISTERED:
        raise DomainError("the machine is deregistered", field="machine_id")
    check_tank(cmd.fuel_tank_litres)
    if state.fuel_tank_litres == cmd.fuel_tank_litres:
        return []
    return [
        FuelTankAmended(
            machine_id=state.machine_id,
            enterprise_id=state.enterprise_id,
            fuel_tank_litres=cmd.fuel_tank_litres,
            previous_litres=state.fuel_tank_litres,
            actor=cmd.actor,
        )
    ]
