"""Every public route reaches the owning service; its answers pass through unchanged."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from fastapi.testclient import TestClient

if TYPE_CHECKING:
    from .conftest import FakeServices

ENTERPRISE = {"uscc": "91429006MA4F0X1234", "name": "天门市宏达建设有限公司"}
MACHINE = {
    "enterprise_id": "e-1",
    "kind": "excavator",
    "brand": "三一",
    "model": "SY215C",
    "serial_number": "SY0001",
}
REPORT = {
    "terminal_id": "013912345678",
    "reported_at": "2024-05-01T22:30:00+08:00",
    "latitude": 30.66,
    "longitude": 113.17,
    "working": True,
}
TIP = {
    "category": "night_work",
    "description": "夜间施工",
    "latitude": 30.66,
    "longitude": 113.17,
    "anonymous": True,
}

ROUTES: list[tuple[str, str, Any, str, str]] = [
    ("POST", "/api/v1/enterprises", ENTERPRISE, "registry", "/enterprises"),
    ("GET", "/api/v1/enterprises/e-1/safety", None, "safety", "/enterprises/e-1/ledger"),
    ("GET", "/api/v1/enterprises/e-1/credit", None, "credit", "/enterprises/e-1/score"),
    ("POST", "/api/v1/machines", MACHINE, "registry", "/machines"),
    ("GET", "/api/v1/machines/m-1", None, "registry", "/machines/m-1"),
    (
        "PUT",
        "/api/v1/machines/m-1/terminal",
        {"terminal_id": "t-1"},
        "registry",
        "/machines/m-1/terminal",
    ),
    ("GET", "/api/v1/terminals/t-1", None, "telemetry", "/terminals/t-1"),
    ("POST", "/api/v1/telemetry/reports", {"reports": [REPORT]}, "telemetry", "/reports"),
    ("GET", "/api/v1/alerts", None, "telemetry", "/alerts"),
    ("POST", "/api/v1/tips", TIP, "reports", "/tips"),
    ("GET", "/api/v1/tips/tip-1", None, "reports", "/tips/tip-1"),
]


@pytest.mark.parametrize(("method", "path", "body", "owner", "upstream"), ROUTES)
def test_each_route_forwards_to_its_owner_and_returns_its_answer(
    gateway: TestClient,
    fakes: FakeServices,
    method: str,
    path: str,
    body: Any,
    owner: str,
    upstream: str,
) -> None:
    fakes.answer(owner, method, upstream, httpx.Response(201, json={"from": owner}))
    response = gateway.request(method, path, json=body)
    assert (response.status_code, response.json()) == (201, {"from": owner})
    [sent] = fakes.seen
    assert (sent.url.host, sent.method, sent.url.path) == (f"{owner}.test", method, upstream)
    if body is not None:
        assert json.loads(sent.content) == body
        assert sent.headers["content-type"] == "application/json"


@pytest.mark.parametrize("status", [404, 409, 422])
def test_a_service_problem_passes_through_unchanged(
    gateway: TestClient, fakes: FakeServices, status: int
) -> None:
    answer = fakes.problem(status, field="uscc")
    fakes.answer("registry", "POST", "/enterprises", answer)
    response = gateway.post("/api/v1/enterprises", json=ENTERPRISE)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.content == answer.content


def test_the_body_reaches_the_service_byte_for_byte(
    gateway: TestClient, fakes: FakeServices
) -> None:
    raw = '{"name": "天门机械", "uscc": "91429006MA4F0X1234", "extra": 1}'.encode()
    fakes.answer("registry", "POST", "/enterprises", httpx.Response(201, json={}))
    gateway.post("/api/v1/enterprises", content=raw, headers={"content-type": "application/json"})
    assert fakes.seen[0].content == raw


def test_malformed_json_is_refused_at_the_gateway(gateway: TestClient, fakes: FakeServices) -> None:
    response = gateway.post(
        "/api/v1/tips",
        content=b'{"category": "night_work",',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["body"]
    assert fakes.seen == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"latitude": None}, "latitude"), ({"category": "littering"}, "category")],
)
def test_a_body_of_the_wrong_shape_is_refused_naming_the_field(
    gateway: TestClient, fakes: FakeServices, changes: dict[str, Any], field: str
) -> None:
    response = gateway.post("/api/v1/tips", json={**TIP, **changes})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert fakes.seen == []


def test_an_id_that_could_escape_its_path_is_refused(
    gateway: TestClient, fakes: FakeServices
) -> None:
    response = gateway.get("/api/v1/machines/..")
    assert response.status_code in (404, 422)
    response = gateway.get("/api/v1/machines/.hidden")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "machine_id"
    assert fakes.seen == []


def test_an_unreachable_service_is_a_503_naming_it(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.down.add("telemetry")
    response = gateway.get("/api/v1/terminals/t-1")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["service"] == "telemetry"
    assert "telemetry" in body["detail"]


def test_a_service_that_does_not_answer_in_time_is_a_504(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.answer("reports", "GET", "/tips/tip-1", httpx.ReadTimeout("slow"))
    response = gateway.get("/api/v1/tips/tip-1")
    assert (response.status_code, response.json()["service"]) == (504, "reports")


def test_a_failing_service_is_a_502_not_its_raw_error(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.answer("registry", "GET", "/machines/m-1", httpx.Response(500, text="Traceback ..."))
    response = gateway.get("/api/v1/machines/m-1")
    assert response.status_code == 502
    assert response.headers["content-type"] == "application/problem+json"
    assert "Traceback" not in response.text


def test_the_correlation_id_is_forwarded(gateway: TestClient, fakes: FakeServices) -> None:
    gateway.get("/api/v1/machines/m-1", headers={"X-Correlation-ID": "cid-42"})
    assert fakes.seen[0].headers["x-correlation-id"] == "cid-42"


def test_a_correlation_id_is_made_and_forwarded_when_the_client_sent_none(
    gateway: TestClient, fakes: FakeServices
) -> None:
    response = gateway.get("/api/v1/machines/m-1")
    made = response.headers["x-correlation-id"]
    assert made and fakes.seen[0].headers["x-correlation-id"] == made


def test_the_idempotency_key_of_a_tip_is_forwarded(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.answer("reports", "POST", "/tips", httpx.Response(200, json={"tip_id": "t"}))
    response = gateway.post("/api/v1/tips", json=TIP, headers={"Idempotency-Key": "k-9"})
    assert response.status_code == 200
    assert fakes.seen[0].headers["idempotency-key"] == "k-9"


def test_alert_filters_are_forwarded_only_when_given(
    gateway: TestClient, fakes: FakeServices
) -> None:
    gateway.get("/api/v1/alerts", params={"machine_id": "m-1", "limit": "20"})
    assert dict(fakes.seen[0].url.params) == {"machine_id": "m-1", "limit": "20"}


def test_the_ledger_cycle_year_is_forwarded(gateway: TestClient, fakes: FakeServices) -> None:
    gateway.get("/api/v1/enterprises/e-1/safety", params={"year": "2025"})
    gateway.get("/api/v1/enterprises/e-1/safety")
    assert [dict(r.url.params) for r in fakes.seen] == [{"year": "2025"}, {}]
