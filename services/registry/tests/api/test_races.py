"""A write that loses a race with a concurrent writer is decided again, not answered with a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection
from tianmen_registry.adapters import queries
from tianmen_runtime.service import Service

from .support import assert_problem, register_enterprise, register_machine, written


def test_terminal_taken_concurrently_is_a_conflict_after_a_retry(
    client: TestClient, service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    enterprise_id = register_enterprise(client)["enterprise_id"]
    first = register_machine(client, enterprise_id, serial_number="A1")["machine_id"]
    second = register_machine(client, enterprise_id, serial_number="B2")["machine_id"]
    client.put(f"/machines/{first}/terminal", json={"terminal_id": "13800138000"})
    before = written(service)
    # The first look-up misses the other machine's binding, as under READ COMMITTED when the
    # other transaction commits between our read and our insert.
    real = queries.terminal_holder
    calls: list[str] = []

    def stale_once(conn: Connection, terminal_id: str) -> str | None:
        calls.append(terminal_id)
        return None if len(calls) == 1 else real(conn, terminal_id)

    monkeypatch.setattr(queries, "terminal_holder", stale_once)
    response = client.put(f"/machines/{second}/terminal", json={"terminal_id": "13800138000"})
    assert_problem(response, 409, "terminal_id")
    assert len(calls) == 2
    assert written(service) == before
