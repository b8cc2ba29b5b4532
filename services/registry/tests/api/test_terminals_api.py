"""PUT /machines/{id}/terminal: one terminal, one machine."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tianmen_registry.adapters.orm import terminals
from tianmen_runtime.service import Service

from .support import (
    assert_problem,
    count,
    outbox_rows,
    register_enterprise,
    register_machine,
    written,
)

TERMINAL = "013800138000"
OTHER_TERMINAL = "13900139000"


def _two_machines(client: TestClient) -> tuple[str, str]:
    enterprise_id = register_enterprise(client)["enterprise_id"]
    first = register_machine(client, enterprise_id, serial_number="A1")["machine_id"]
    second = register_machine(client, enterprise_id, serial_number="B2")["machine_id"]
    return first, second


def _bind(client: TestClient, machine_id: str, terminal_id: str) -> dict[str, object]:
    response = client.put(f"/machines/{machine_id}/terminal", json={"terminal_id": terminal_id})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_binding_answers_the_machine_view_and_writes_the_binding(
    client: TestClient, service: Service
) -> None:
    machine_id, _ = _two_machines(client)
    view = _bind(client, machine_id, TERMINAL)
    assert (view["machine_id"], view["terminal_id"]) == (machine_id, TERMINAL)
    assert client.get(f"/machines/{machine_id}").json()["terminal_id"] == TERMINAL
    row = outbox_rows(service)[-1]
    assert (row["topic"], row["key"]) == ("registry.machine", machine_id.encode())
    assert row["headers"]["ce_type"] == "tianmen.registry.terminal_bound"


def test_binding_the_same_pair_again_writes_nothing(client: TestClient, service: Service) -> None:
    machine_id, _ = _two_machines(client)
    _bind(client, machine_id, TERMINAL)
    before = written(service)
    assert _bind(client, machine_id, TERMINAL)["terminal_id"] == TERMINAL
    assert written(service) == before


def test_terminal_bound_to_another_machine_is_a_conflict_on_terminal_id(
    client: TestClient, service: Service
) -> None:
    first, second = _two_machines(client)
    _bind(client, first, TERMINAL)
    before = written(service)
    response = client.put(f"/machines/{second}/terminal", json={"terminal_id": TERMINAL})
    assert_problem(response, 409, "terminal_id")
    assert written(service) == before
    assert client.get(f"/machines/{second}").json()["terminal_id"] is None


def test_rebinding_a_machine_releases_its_old_terminal(
    client: TestClient, service: Service
) -> None:
    first, second = _two_machines(client)
    _bind(client, first, TERMINAL)
    assert _bind(client, first, OTHER_TERMINAL)["terminal_id"] == OTHER_TERMINAL
    assert _bind(client, second, TERMINAL)["terminal_id"] == TERMINAL
    assert count(service, terminals) == 2
    bound = [r for r in outbox_rows(service) if r["headers"]["ce_type"].endswith("terminal_bound")]
    assert len(bound) == 3


def test_binding_to_an_unknown_machine_is_not_found(client: TestClient, service: Service) -> None:
    response = client.put("/machines/no-such-machine/terminal", json={"terminal_id": TERMINAL})
    assert_problem(response, 404, "machine_id")
    assert written(service) == (0, 0)


def test_terminal_id_must_be_11_to_20_digits(client: TestClient, service: Service) -> None:
    machine_id, _ = _two_machines(client)
    before = written(service)
    for bad in ("1380013800", "1" * 21, "1380013800x", 13800138000):
        response = client.put(f"/machines/{machine_id}/terminal", json={"terminal_id": bad})
        assert_problem(response, 422, "terminal_id")
    assert written(service) == before
