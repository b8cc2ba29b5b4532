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
        "jurisdiction_code": "429006",
        "high_risk": False,
        "engine_number": "",
        "manufacture_date": None,
        "rated_power_kw": None,
        "emission_stage": None,
        "power_type": None,
        "environmental_code": "",
        "crane_filing_number": "",
        "fuel_tank_litres": None,
        "status": "pending",
        "registration_number": None,
        "next_review_due": None,
        "pledged": False,
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


def test_the_same_machine_under_a_chinese_brand_is_refused_without_echoing_its_id(
    client: TestClient, service: Service
) -> None:
    enterprise_id = register_enterprise(client)["enterprise_id"]
    first = register_machine(client, enterprise_id, serial_number="SY2024000123", brand="SANY")
    before = written(service)
    again = client.post(
        "/machines",
        json={
            "enterprise_id": enterprise_id,
            "kind": "excavator",
            "brand": "三一",
            "model": "SY215C",
            "serial_number": "ｓｙ2024000123",
        },
    )
    body = assert_problem(again, 409, "serial_number")
    assert first["machine_id"] not in again.text
    assert body["detail"]
    assert written(service) == before


def test_an_engine_number_registered_on_one_machine_is_refused_on_another(
    client: TestClient, service: Service
) -> None:
    enterprise_id = register_enterprise(client)["enterprise_id"]
    machine = {"enterprise_id": enterprise_id, "kind": "loader", "brand": "柳工", "model": "CLG856"}
    one = {**machine, "serial_number": "LG0001", "engine_number": "WP10-123 456"}
    assert client.post("/machines", json=one).status_code == 201
    before = written(service)
    two = {**machine, "serial_number": "LG0002", "engine_number": "wp10123456"}
    assert_problem(client.post("/machines", json=two), 409, "engine_number")
    assert written(service) == before
