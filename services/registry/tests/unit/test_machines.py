"""Given/when/then over the machine aggregate and its terminal binding."""

from __future__ import annotations

import pytest
from tianmen_events import DomainEvent, derive_id
from tianmen_events.errors import Conflict, DomainError, NotFound
from tianmen_events.registry import MachineKind, MachineRegistered, TerminalBound
from tianmen_registry.domain import machines
from tianmen_registry.domain.commands import BindTerminal, RegisterMachine
from tianmen_registry.domain.enterprises import Enterprise

OWNER = Enterprise("e-1", "914403001922038216", "华为", "440300", "")
REGISTER = RegisterMachine(
    enterprise_id="e-1",
    kind=MachineKind.EXCAVATOR,
    brand="SANY",
    model="SY215C",
    serial_number="SY0001",
)
MACHINE_ID = derive_id("machine", "sany", "SY0001")
TERMINAL = "13800138000"


def _registered() -> list[DomainEvent]:
    return machines.decide_register(OWNER, None, REGISTER)


def _bind(history: list[DomainEvent], terminal: str, holder: str | None) -> list[DomainEvent]:
    return machines.decide_bind(machines.fold(history), holder, BindTerminal(MACHINE_ID, terminal))


def test_registering_a_machine_of_a_known_enterprise() -> None:
    assert _registered() == [
        MachineRegistered(
            machine_id=MACHINE_ID,
            enterprise_id="e-1",
            kind=MachineKind.EXCAVATOR,
            brand="SANY",
            model="SY215C",
            serial_number="SY0001",
        )
    ]


def test_machine_id_ignores_the_case_of_the_brand_but_not_of_the_serial() -> None:
    assert machines.machine_id_for("Sany", "SY0001") == MACHINE_ID
    assert machines.machine_id_for("SANY", "sy0001") != MACHINE_ID


def test_machine_of_an_unknown_enterprise_is_refused_on_enterprise_id() -> None:
    with pytest.raises(DomainError) as refused:
        machines.decide_register(None, None, REGISTER)
    assert (refused.value.field, refused.value.status) == ("enterprise_id", 422)


def test_registering_the_same_brand_and_serial_twice_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        machines.decide_register(OWNER, machines.fold(_registered()), REGISTER)


def test_binding_a_free_terminal_records_the_binding_with_the_owner() -> None:
    assert _bind(_registered(), TERMINAL, None) == [
        TerminalBound(machine_id=MACHINE_ID, enterprise_id="e-1", terminal_id=TERMINAL)
    ]


def test_binding_the_same_pair_again_records_nothing() -> None:
    history = _registered() + _bind(_registered(), TERMINAL, None)
    assert _bind(history, TERMINAL, MACHINE_ID) == []


def test_binding_a_terminal_held_by_another_machine_is_a_conflict_on_terminal_id() -> None:
    with pytest.raises(Conflict) as refused:
        _bind(_registered(), TERMINAL, "another-machine")
    assert refused.value.field == "terminal_id"


def test_rebinding_a_machine_to_a_new_terminal_records_a_new_binding() -> None:
    history = _registered() + _bind(_registered(), TERMINAL, None)
    [event] = _bind(history, "13900139000", None)
    assert isinstance(event, TerminalBound)
    assert machines.fold([*history, event]) == machines.Machine(
        MACHINE_ID, "e-1", MachineKind.EXCAVATOR, "SANY", "SY215C", "SY0001", "13900139000"
    )


def test_binding_to_an_unknown_machine_is_not_found() -> None:
    with pytest.raises(NotFound):
        _bind([], TERMINAL, None)


@pytest.mark.parametrize("terminal", ["1380013800", "138001380001380013800", "1380013800a"])
def test_terminal_id_must_be_11_to_20_digits(terminal: str) -> None:
    with pytest.raises(DomainError) as refused:
        _bind(_registered(), terminal, None)
    assert refused.value.field == "terminal_id"


def test_evolve_ignores_a_binding_without_a_machine() -> None:
    bound = TerminalBound(machine_id=MACHINE_ID, enterprise_id="e-1", terminal_id=TERMINAL)
    assert machines.fold([bound]) is None
