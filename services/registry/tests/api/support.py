"""Helpers for the API tests: counting what was written, problem assertions, registrations."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Table, func, select
from tianmen_registry.domain.uscc import with_check_character
from tianmen_runtime.db import events, outbox
from tianmen_runtime.service import Service

NOW = datetime(2026, 5, 12, 9, 30, tzinfo=UTC)
USCC = with_check_character("91429006MA4F0XXXX")  # Tianmen (429006)


def count(service: Service, table: Table) -> int:
    with service.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def written(service: Service) -> tuple[int, int]:
    """(events, outbox rows): what a refused command must leave unchanged."""
    return count(service, events), count(service, outbox)


def outbox_rows(service: Service) -> list[dict[str, Any]]:
    with service.engine.connect() as conn:
        rows = conn.execute(select(outbox).order_by(outbox.c.position)).mappings().all()
    return [{**row, "headers": dict(json.loads(row["headers"]))} for row in rows]


def assert_problem(response: httpx.Response, status: int, field: str | None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    if field is not None:
        assert body["errors"][0]["field"] == field, body
    return body


def register_enterprise(client: TestClient, uscc: str = USCC) -> dict[str, Any]:
    response = client.post("/enterprises", json={"uscc": uscc, "name": "天门工程机械租赁有限公司"})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def register_machine(
    client: TestClient, enterprise_id: str, serial_number: str = "SY2024000123", brand: str = "SANY"
) -> dict[str, Any]:
    response = client.post(
        "/machines",
        json={
            "enterprise_id": enterprise_id,
            "kind": "excavator",
            "brand": brand,
            "model": "SY215C",
            "serial_number": serial_number,
        },
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
