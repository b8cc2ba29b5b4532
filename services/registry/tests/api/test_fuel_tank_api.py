"""A machine's fuel tank capacity: optional on registration, within bounds, in its view and in
its `MachineRegistered` (telemetry turns a JT/T 808 terminal's litres into percent with it)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from tianmen_runtime.service import Service

from .support import assert_problem, outbox_rows, register_enterprise, written


def _machine(enterprise_id: str, **more: object) -> dict[str, object]:
    return {
        "enterprise_id": enterprise_id,
        "kind": "excavator",
        "brand": "SANY",
        "model": "SY215C",
        "serial_number": "SY2024000777",
        **more,
    }


def test_a_tank_capacity_is_kept_in_the_view_and_the_registration_event(
    client: TestClient, service: Service
) -> None:
    enterprise_id = register_enterprise(client)["enterprise_id"]
    made = client.post("/machines", json=_machine(enterprise_id, fuel_tank_litres=410.5))
    assert made.status_code == 201, made.text
    assert made.json()["fuel_tank_litres"] == 410.5
    assert client.get(f"/machines/{made.json()['machine_id']}").json()["fuel_tank_litres"] == 410.5
    payload = json.loads(outbox_rows(service)[-1]["value"])
    assert payload["fuel_tank_litres"] == 410.5


@pytest.mark.parametrize("litres", [0, -5.0, 15_000.5, 1e9])
def test_a_tank_capacity_out_of_bounds_is_refused_naming_the_field(
    client: TestClient, service: Service, litres: float
) -> None:
    enterprise_id = register_enterprise(client)["enterprise_id"]
    before = written(service)
    refused = client.post("/machines", json=_machine(enterprise_id, fuel_tank_litres=litres))
    assert_problem(refused, 422, "fuel_tank_litres")
    assert written(service) == before


def test_lawful_twin_the_largest_tank_and_none_at_all_are_accepted(client: TestClient) -> None:
    enterprise_id = register_enterprise(client)["enterprise_id"]
    largest = client.post("/machines", json=_machine(enterprise_id, fuel_tank_litres=15_000))
    none = client.post("/machines", json=_machine(enterprise_id, serial_number="SY2024000778"))
    assert (largest.status_code, none.status_code) == (201, 201)
    assert none.json()["fuel_tank_litres"] is None


def _registered(client: TestClient, **more: object) -> str:
    enterprise_id = register_enterprise(client)["enterprise_id"]
    made = client.post("/machines", json=_machine(enterprise_id, **more))
    assert made.status_code == 201, made.text
    return str(made.json()["machine_id"])


def test_an_amended_tank_is_in_the_view_and_its_event_names_who_and_what_it_replaces(
    client: TestClient, service: Service
) -> None:
    """Given a machine registered with a 400 L tank, when the tank is amended to 520 L (a
    tank replaced), then its view says 520 and a `FuelTankAmended` says 520 replacing 400 and
    who gave it."""
    machine_id = _registered(client, fuel_tank_litres=400)
    amended = client.put(
        f"/machines/{machine_id}/fuel-tank", json={"fuel_tank_litres": 520.0, "actor": "clerk-7"}
    )
    assert amended.status_code == 200, amended.text
    assert amended.json()["fuel_tank_litres"] == 520.0
    assert client.get(f"/machines/{machine_id}").json()["fuel_tank_litres"] == 520.0
    row = outbox_rows(service)[-1]
    payload = json.loads(row["value"])
    assert row["headers"]["ce_type"] == "tianmen.registry.fuel_tank_amended"
    assert (payload["fuel_tank_litres"], payload["previous_litres"]) == (520.0, 400.0)
    assert payload["actor"] == "clerk-7"


def test_lawful_twin_the_same_capacity_again_records_nothing(
    client: TestClient, service: Service
) -> None:
    machine_id = _registered(client, fuel_tank_litres=400)
    before = written(service)
    again = client.put(f"/machines/{machine_id}/fuel-tank", json={"fuel_tank_litres": 400})
    assert again.status_code == 200, again.text
    assert written(service) == before


def test_a_machine_registered_without_a_tank_is_given_one(client: TestClient) -> None:
    machine_id = _registered(client)
    amended = client.put(f"/machines/{machine_id}/fuel-tank", json={"fuel_tank_litres": 300})
    assert amended.json()["fuel_tank_litres"] == 300.0


@pytest.mark.parametrize("litres", [0, -5.0, 15_000.5, "400", None, True])
def test_an_amendment_out_of_bounds_or_not_a_number_is_refused_naming_the_field(
    client: TestClient, service: Service, litres: object
) -> None:
    machine_id = _registered(client, fuel_tank_litres=400)
    before = written(service)
    refused = client.put(f"/machines/{machine_id}/fuel-tank", json={"fuel_tank_litres": litres})
    assert_problem(refused, 422, "fuel_tank_litres")
    assert written(service) == before


def test_the_tank_of_an_unknown_machine_is_not_found(client: TestClient) -> None:
    refused = client.put("/machines/no-such-machine/fuel-tank", json={"fuel_tank_litres": 300})
    assert_problem(refused, 404, "machine_id")
