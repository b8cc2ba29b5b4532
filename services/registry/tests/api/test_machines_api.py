"""POST /machines and GET /machines/{id}."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tianmen_events import derive_id
from tianmen_runtime.service import Service

from .support import (
    assert_problem,
    outbox_rows,
    register_enterprise,
    register_machine,
    written,
)


def test_registering_a_machine_answers_its_unbound_view(client: TestClient) -> None:
    enterprise_id = register_enterprise(client)["enterprise_id"]
    view = register_machine(client, enterprise_id, serial_number="SY2024000123")
    assert view == {
        "machine_id": derive_id("machine", "sany", "SY2024000123"),
        "enterprise_id": enterprise_id,
        "kind": "excavator",
        "brand": "SANY",
        "model": "SY215C",
        "serial_number": "SY2024000123",
        "terminal_id": None,
    }
    assert client.get(f"/machines/{view['machine_id']}").json() == view


def test_registering_a_machine_writes_to_the_machine_topic(
    client: TestClient, service: Service
) -> None:
    view = register_machine(client, register_enterprise(client)["enterprise_id"])
    row = outbox_rows(service)[-1]
    assert (row["topic"], row["key"]) == ("registry.machine", view["machine_id"].encode())
    assert row["headers"]["ce_type"] == "tianmen.registry.machine_registered"


def test_machine_of_an_unknown_enterprise_is_refused_on_enterprise_id(
    client: TestClient, service: Service
) -> None:
    response = client.post(
        "/machines",
        json={
            "enterprise_id": derive_id("enterprise", "nobody"),
            "kind": "tower_crane",
            "brand": "ZOOMLION",
            "model": "T7020",
            "serial_number": "ZL001",
        },
    )
    assert_problem(response, 422, "enterprise_id")
    assert written(service) == (0, 0)


def test_same_brand_and_serial_is_a_conflict_whatever_the_brand_case(
    client: TestClient, service: Service
) -> None:
    enterprise_id = register_enterprise(client)["enterprise_id"]
    register_machine(client, enterprise_id, brand="SANY")
    again = client.post(
        "/machines",
        json={
            "enterprise_id": enterprise_id,
            "kind": "excavator",
            "brand": "Sany",
            "model": "SY215C",
            "serial_number": "SY2024000123",
        },
    )
    assert_problem(again, 409, "serial_number")
    assert written(service) == (2, 2)


def test_unknown_kind_is_refused_naming_the_field(client: TestClient, service: Service) -> None:
    enterprise_id = register_enterprise(client)["enterprise_id"]
    body = {
        "enterprise_id": enterprise_id,
        "kind": "spaceship",
        "brand": "SANY",
        "model": "X",
        "serial_number": "1",
    }
    assert_problem(client.post("/machines", json=body), 422, "kind")
    assert written(service) == (1, 1)


def test_unknown_machine_is_not_found(client: TestClient) -> None:
    assert_problem(client.get("/machines/no-such-machine"), 404, "machine_id")
