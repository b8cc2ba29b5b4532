"""POST /enterprises and GET /enterprises/{id}."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tianmen_events import derive_id
from tianmen_registry.adapters.orm import enterprises
from tianmen_runtime.db import events
from tianmen_runtime.service import Service

from .support import (
    NOW,
    USCC,
    assert_problem,
    count,
    outbox_rows,
    register_enterprise,
    written,
)


def test_registering_an_enterprise_answers_its_view(client: TestClient) -> None:
    response = client.post(
        "/enterprises", json={"uscc": USCC.lower(), "name": " 天门建机 ", "address": "天门市竟陵"}
    )
    assert response.status_code == 201
    assert response.json() == {
        "enterprise_id": derive_id("enterprise", USCC),
        "uscc": USCC,
        "name": "天门建机",
        "division_code": "429006",
        "address": "天门市竟陵",
        "jurisdiction_code": "429006",
    }
    assert client.get(f"/enterprises/{response.json()['enterprise_id']}").json() == response.json()


def test_registering_writes_the_event_and_its_outbox_row(
    client: TestClient, service: Service
) -> None:
    view = client.post(
        "/enterprises",
        json={"uscc": USCC, "name": "天门建机"},
        headers={"x-correlation-id": "req-42"},
    ).json()
    [row] = outbox_rows(service)
    assert row["topic"] == "registry.enterprise"
    assert row["key"] == view["enterprise_id"].encode()
    assert row["headers"]["ce_type"] == "tianmen.registry.enterprise_registered"
    assert row["headers"]["ce_schemaversion"] == "3"
    assert row["headers"]["ce_time"] == NOW.isoformat()
    assert row["headers"]["ce_correlationid"] == "req-42"
    assert count(service, events) == 1


def test_invalid_uscc_is_refused_naming_the_field_and_nothing_is_written(
    client: TestClient, service: Service
) -> None:
    wrong = USCC[:17] + ("0" if USCC[17] != "0" else "1")
    body = assert_problem(
        client.post("/enterprises", json={"uscc": wrong, "name": "某某建设有限公司"}), 422, "uscc"
    )
    assert f"expected {USCC[17]}" in body["errors"][0]["message"]
    assert written(service) == (0, 0)
    assert count(service, enterprises) == 0


def test_malformed_json_is_refused_and_nothing_is_written(
    client: TestClient, service: Service
) -> None:
    response = client.post(
        "/enterprises", content=b'{"uscc": "9142', headers={"content-type": "application/json"}
    )
    assert_problem(response, 422, None)
    assert written(service) == (0, 0)


def test_blank_or_overlong_name_is_refused(client: TestClient, service: Service) -> None:
    assert_problem(client.post("/enterprises", json={"uscc": USCC, "name": "  "}), 422, "name")
    too_long = {"uscc": USCC, "name": "建" * 201}
    assert_problem(client.post("/enterprises", json=too_long), 422, "name")
    assert written(service) == (0, 0)


def test_registering_a_uscc_twice_is_a_conflict_on_uscc(
    client: TestClient, service: Service
) -> None:
    register_enterprise(client)
    again = client.post("/enterprises", json={"uscc": USCC.lower(), "name": "另一家公司"})
    assert_problem(again, 409, "uscc")
    assert written(service) == (1, 1)


def test_unknown_enterprise_is_not_found(client: TestClient) -> None:
    assert_problem(client.get("/enterprises/no-such-enterprise"), 404, "enterprise_id")
