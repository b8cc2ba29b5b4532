"""A machine's fuel tank amended after registration (decision 116): given the machine's
history, when its tank is amended, then the event says the new capacity, the one it replaces
and who gave it; the same capacity again is nothing; out of bounds or on a deregistered
machine, refused naming the field."""

from __future__ import annotations

import pytest
from tianmen_events.errors import DomainError, NotFound
from tianmen_events.registry import FuelTankAmended, MachineDeregistered
from tianmen_registry.domain.commands import AmendFuelTank
from tianmen_registry.domain.machine_attributes import decide_fuel_tank
from tianmen_registry.domain.machine_state import fold

from .lifecycle_support import NUMBERED, OWNER, REGISTERED

TANKED = REGISTERED.model_copy(update={"fuel_tank_litres": 400.0})


def test_an_amended_tank_names_the_capacity_it_replaces_and_who_gave_it() -> None:
    [event] = decide_fuel_tank(fold([TANKED, NUMBERED]), AmendFuelTank("m-1", 520.0, "clerk-7"))
    assert event == FuelTankAmended(
        machine_id="m-1",
        enterprise_id=OWNER,
        fuel_tank_litres=520.0,
        previous_litres=400.0,
        actor="clerk-7",
    )


def test_the_amended_tank_is_the_machines_from_then_on() -> None:
    [event] = decide_fuel_tank(fold([TANKED]), AmendFuelTank("m-1", 520.0))
    state = fold([TANKED, event])
    assert state is not None and state.fuel_tank_litres == 520.0
    assert decide_fuel_tank(state, AmendFuelTank("m-1", 520.0)) == []


def test_lawful_twin_the_registered_capacity_again_is_nothing_new() -> None:
    assert decide_fuel_tank(fold([TANKED]), AmendFuelTank("m-1", 400.0)) == []


def test_a_machine_registered_without_a_tank_is_given_one() -> None:
    [event] = decide_fuel_tank(fold([REGISTERED]), AmendFuelTank("m-1", 300.0))
    assert isinstance(event, FuelTankAmended) and event.previous_litres is None


@pytest.mark.parametrize("litres", [0.0, -1.0, 15_000.01])
def test_a_capacity_out_of_bounds_is_refused_naming_the_field(litres: float) -> None:
    with pytest.raises(DomainError) as refused:
        decide_fuel_tank(fold([TANKED]), AmendFuelTank("m-1", litres))
    assert refused.value.field == "fuel_tank_litres"


def test_a_deregistered_or_unknown_machine_is_refused() -> None:
    gone = MachineDeregistered(machine_id="m-1", enterprise_id=OWNER, application_id="a-9")
    with pytest.raises(DomainError) as refused:
        decide_fuel_tank(fold([TANKED, gone]), AmendFuelTank("m-1", 300.0))
    assert refused.value.field == "machine_id"
    with pytest.raises(NotFound):
        decide_fuel_tank(None, AmendFuelTank("m-9", 300.0))
