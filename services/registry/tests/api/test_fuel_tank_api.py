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
