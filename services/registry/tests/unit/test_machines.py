"""Given/when/then over the machine aggregate and its terminal binding."""

from __future__ import annotations

import dataclasses

import pytest
from tianmen_events import DomainEvent, derive_id
from tianmen_events.errors import Conflict, DomainError, NotFound
from tianmen_events.registry import MachineKind, MachineRegistered, TerminalBound
from tianmen_registry.domain import machines
from tianmen_registry.domain.commands import BindTerminal, RegisterMachine
from tianmen_registry.domain.enterprises import Enterprise

from .reference_data import JURISDICTIONS

OWNER = Enterprise("e-1", "914403001922038216", "华为", "440300", "", "429006-ST04")
REGISTER = RegisterMachine(
    enterprise_id="e-1",
    kind=MachineKind.EXCAVATOR,
    brand="SANY",
    model="SY215C",
    serial_number="SY0001",
)
MACHINE_ID = derive_id("machine", "sany", "SY0001")
TERMINAL = "13800138000"


def _decide(
    cmd: RegisterMachine = REGISTER,
    *,
    owner: Enterprise | None = OWNER,
    state: machines.Machine | None = None,
    taken: frozenset[str] = frozenset(),
) -> list[DomainEvent]:
    return machines.decide_register(
        owner, state, cmd, taken=set(taken), jurisdictions=JURISDICTIONS
    )


def _registered() -> list[DomainEvent]:
    return _decide()


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
            jurisdiction_code="429006-ST04",
            high_risk=False,
            brand_key="sany",
        )
    ]


@pytest.mark.parametrize("brand", ["Sany", "三一", "三一重工", "ＳＡＮＹ", " s a n y "])
def test_a_brand_written_in_chinese_latin_full_width_or_any_case_is_one_machine(
    brand: str,
) -> None:
    assert machines.machine_id_for(brand, "SY0001") == MACHINE_ID


def test_a_serial_number_full_width_lower_case_or_with_dashes_is_the_same_serial() -> None:
    assert machines.machine_id_for("SANY", "ｓｙ-0001") == MACHINE_ID
    assert machines.machine_id_for("XCMG", "SY0001") != MACHINE_ID


@pytest.mark.parametrize(
    ("taken", "field"),
    [
        ({"serial"}, "serial_number"),
        ({"engine"}, "engine_number"),
        ({"env"}, "environmental_code"),
    ],
)
def test_an_identity_another_machine_holds_is_a_conflict_that_names_no_machine(
    taken: set[str], field: str
) -> None:
    with pytest.raises(Conflict) as refused:
        _decide(taken=frozenset(taken))
    assert refused.value.field == field
    assert MACHINE_ID not in refused.value.detail


@pytest.mark.parametrize(
    ("kind", "high_risk"),
    [
        (MachineKind.TOWER_CRANE, True),
        (MachineKind.CONSTRUCTION_HOIST, True),
        (MachineKind.TRUCK_CRANE, True),
        (MachineKind.FORKLIFT, False),
        (MachineKind.EXCAVATOR, False),
    ],
)
def test_high_risk_follows_from_the_kind(kind: MachineKind, high_risk: bool) -> None:
    [event] = _decide(dataclasses.replace(REGISTER, kind=kind))
    assert isinstance(event, MachineRegistered)
    assert event.high_risk is high_risk


def test_a_machine_takes_its_enterprise_s_jurisdiction_unless_given_one() -> None:
    [own] = _decide(dataclasses.replace(REGISTER, jurisdiction_code="429006107"))
    assert isinstance(own, MachineRegistered)
    assert own.jurisdiction_code == "429006107"
    with pytest.raises(DomainError) as refused:
        _decide(dataclasses.replace(REGISTER, jurisdiction_code="429006999"))
    assert refused.value.field == "jurisdiction_code"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"brand": "\u200b\u3000"}, "brand"),
        ({"model": "SY215C\x07"}, "model"),
        ({"rated_power_kw": 0.0}, "rated_power_kw"),
        ({"rated_power_kw": 5000.0}, "rated_power_kw"),
        ({"crane_filing_number": "鄂A-2024-001"}, "crane_filing_number"),
    ],
)
def test_bad_attributes_are_refused_naming_the_field(change: dict[str, object], field: str) -> None:
    with pytest.raises(DomainError) as refused:
        _decide(dataclasses.replace(REGISTER, **change))  # type: ignore[arg-type]
    assert refused.value.field == field


def test_machine_of_an_unknown_enterprise_is_refused_on_enterprise_id() -> None:
    with pytest.raises(DomainError) as refused:
        _decide(owner=None)
    assert (refused.value.field, refused.value.status) == ("enterprise_id", 422)


def test_registering_the_same_brand_and_serial_twice_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        _decide(state=machines.fold(_registered()))


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
        MACHINE_ID,
        "e-1",
        MachineKind.EXCAVATOR,
        "SANY",
        "SY215C",
        "SY0001",
        "429006-ST04",
        "13900139000",
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
