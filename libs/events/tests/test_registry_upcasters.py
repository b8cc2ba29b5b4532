"""Registry events stored before jurisdictions (and identity fields) still read."""

from __future__ import annotations

from tianmen_events.catalog import upcast
from tianmen_events.registry import EnterpriseRegistered, MachineKind, MachineRegistered

V1_MACHINE = {
    "machine_id": "m1",
    "enterprise_id": "e1",
    "kind": "tower_crane",
    "brand": "ZOOMLION",
    "model": "TC6013",
    "serial_number": "ZL0001",
}


def test_a_v1_machine_belongs_to_the_city_and_is_high_risk_when_it_hoists() -> None:
    event = upcast(MachineRegistered.type, 1, V1_MACHINE)
    assert isinstance(event, MachineRegistered)
    assert (event.jurisdiction_code, event.high_risk) == ("429006", True)
    assert (event.engine_number, event.actor) == ("", None)


def test_a_v1_excavator_is_not_high_risk() -> None:
    event = upcast(MachineRegistered.type, 1, {**V1_MACHINE, "kind": "excavator"})
    assert isinstance(event, MachineRegistered)
    assert event.kind is MachineKind.EXCAVATOR and event.high_risk is False


def test_a_v1_enterprise_gets_its_division_then_the_city_jurisdiction() -> None:
    v1 = {"enterprise_id": "e1", "uscc": "914403001922038216", "name": "华为"}
    event = upcast(EnterpriseRegistered.type, 1, v1)
    assert isinstance(event, EnterpriseRegistered)
    assert (event.division_code, event.jurisdiction_code) == ("440300", "429006")
