"""Every public route reaches the owning service; its answers pass through unchanged."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from . import contracts as c
from .world import TIP_FIGURES

if TYPE_CHECKING:
    from .conftest import FakeServices

ENTERPRISE = {"uscc": c.USCC, "name": "天门市宏达建设有限公司"}
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
TIP = c.TIP_IN
SAFETY = "/api/v1/enterprises/e-1/safety"
CREDIT = "/api/v1/enterprises/e-1/credit"
ENTERPRISES = c.page(c.ENTERPRISE, next_cursor="WyJlLTEiXQ")

Route = tuple[
    str, str, Any, str, str, int, Any
]  # method, path, body, owner, upstream, status, answer
ROUTES: list[Route] = [
    ("POST", "/api/v1/enterprises", ENTERPRISE, "registry", "/enterprises", 201, c.ENTERPRISE),
    ("GET", "/api/v1/enterprises", None, "registry", "/enterprises", 200, ENTERPRISES),
    ("GET", SAFETY, None, "safety", "/enterprises/e-1/ledger", 200, c.LEDGER),
    (
        "GET",
        f"{SAFETY}/violations",
        None,
        "safety",
        "/enterprises/e-1/violations",
        200,
        [c.VIOLATION],
    ),
    (
        "GET",
        f"{SAFETY}/deductions",
        None,
        "safety",
        "/enterprises/e-1/deductions",
        200,
        [c.DEDUCTION],
    ),
    ("GET", CREDIT, None, "credit", "/enterprises/e-1/score", 200, c.SCORE),
    ("GET", f"{CREDIT}/history", None, "credit", "/enterprises/e-1/history", 200, [c.CHANGE]),
    ("POST", "/api/v1/machines", MACHINE, "registry", "/machines", 201, c.MACHINE),
    ("GET", "/api/v1/machines", None, "registry", "/machines", 200, [c.MACHINE]),
    ("GET", "/api/v1/machines/m-1", None, "registry", "/machines/m-1", 200, c.MACHINE),
    (
        "PUT",
        "/api/v1/machines/m-1/terminal",
        {"terminal_id": "13912345678"},
        "registry",
        "/machines/m-1/terminal",
        200,
        c.MACHINE,
    ),
    ("GET", "/api/v1/terminals/t-1", None, "telemetry", "/terminals/t-1", 200, c.TERMINAL),
    (
        "POST",
        "/api/v1/telemetry/reports",
        {"reports": [REPORT]},
        "telemetry",
        "/reports",
        202,
        c.ACCEPTED,
    ),
    ("GET", "/api/v1/alerts", None, "telemetry", "/alerts", 200, [c.ALERT]),
    ("POST", "/api/v1/tips", TIP, "reports", "/tips", 201, c.RECEIPT),
    ("GET", "/api/v1/tips/tip-1", None, "reports", "/tips/tip-1", 200, c.TIP),
]


def _answer(answer: Any) -> Any:
    """A contract instance as its JSON body; a list of them as a last page."""
    if isinstance(answer, list):
        return c.page(*answer)
    return c.body(answer) if isinstance(answer, BaseModel) else answer


def _scope_answers(fakes: FakeServices) -> None:
    """What a writer's scope check reads first: the machine and the enterprise it belongs to."""
    fakes.answer("registry", "GET", "/machines/m-1", c.body(c.MACHINE))
    fakes.answer("registry", "GET", "/enterprises/e-1", c.body(c.ENTERPRISE))


@pytest.mark.parametrize("route", ROUTES)
def test_each_route_forwards_to_its_owner_and_returns_its_answer(
    gateway: TestClient, fakes: FakeServices, route: Route
) -> None:
    method, path, body, owner, upstream, status, answer = route
    expected = _answer(answer)
    _scope_answers(fakes)
    fakes.answer(owner, method, upstream, httpx.Response(status, json=expected))
    response = gateway.request(method, path, json=body)
    assert (response.status_code, response.json()) == (status, expected)
    [sent] = [r for r in fakes.seen if (r.method, r.url.path) == (method, upstream)]
    assert (sent.url.host, sent.method, sent.url.path) == (f"{owner}.test", method, upstream)
    if body is not None:
        assert json.loads(sent.content) == body
        assert sent.headers["content-type"] == "application/json"


@pytest.mark.parametrize("route", ROUTES)
def test_a_success_outside_the_owners_contract_is_a_502_naming_it(
    gateway: TestClient, fakes: FakeServices, route: Route
) -> None:
    method, path, body, owner, upstream, status, _ = route
    _scope_answers(fakes)
    fakes.answer(owner, method, upstream, httpx.Response(status, json={"from": owner}))
    response = gateway.request(method, path, json=body)
    assert (response.status_code, response.json()["service"]) == (502, owner)
    assert "contract" in response.json()["detail"]


def test_what_the_owner_adds_beyond_its_contract_is_not_published(
    gateway: TestClient, fakes: FakeServices
) -> None:
    more = {**c.body(c.MACHINE), "internal_note": "not for the public"}
    fakes.answer("registry", "GET", "/machines/m-1", more)
    assert gateway.get("/api/v1/machines/m-1").json() == c.body(c.MACHINE)


@pytest.mark.parametrize("status", [409, 422])
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
    raw = f'{{"name": "天门机械", "uscc": "{c.USCC}", "extra": 1}}'.encode()
    fakes.answer("registry", "POST", "/enterprises", httpx.Response(201, json=c.body(c.ENTERPRISE)))
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


def test_the_owners_content_rules_hold_at_the_gateway_too(
    gateway: TestClient, fakes: FakeServices
) -> None:
    wrong_check = ENTERPRISE["uscc"][:-1] + ("0" if ENTERPRISE["uscc"][-1] != "0" else "1")
    response = gateway.post("/api/v1/enterprises", json={**ENTERPRISE, "uscc": wrong_check})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["uscc"]
    assert fakes.seen == []


def test_page_parameters_are_forwarded_only_when_given(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.answer("safety", "GET", "/enterprises/e-1/violations", c.page())
    gateway.get(f"{SAFETY}/violations", params={"cursor": "WzEsImEiXQ", "limit": "2"})
    gateway.get(f"{SAFETY}/violations")
    sent = [dict(r.url.params) for r in fakes.seen]
    assert sent == [{"cursor": "WzEsImEiXQ", "limit": "2"}, {}]


def test_a_limit_beyond_the_maximum_is_refused_at_the_gateway(
    gateway: TestClient, fakes: FakeServices
) -> None:
    response = gateway.get("/api/v1/alerts", params={"limit": 501})
    assert [e["field"] for e in response.json()["errors"]] == ["limit"]
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
    assert response.headers["retry-after"] == "5"
    body = response.json()
    assert body["service"] == "telemetry"
    assert "telemetry" in body["detail"]


def test_a_service_that_does_not_answer_in_time_is_a_504(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.answer("reports", "GET", "/tips/tip-1", httpx.ReadTimeout("slow"))
    response = gateway.get("/api/v1/tips/tip-1")
    assert (response.status_code, response.json()["service"]) == (504, "reports")
    assert response.headers["retry-after"] == "5"


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


def test_alert_filters_are_forwarded_only_when_given(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.answer("telemetry", "GET", "/alerts", c.page())
    gateway.get("/api/v1/alerts", params={"machine_id": "m-1", "limit": "20"})
    assert dict(fakes.seen[0].url.params) == {"machine_id": "m-1", "limit": "20"}


def test_the_ledger_cycle_year_is_forwarded(gateway: TestClient, fakes: FakeServices) -> None:
    fakes.answer("safety", "GET", "/enterprises/e-1/ledger", c.body(c.LEDGER))
    gateway.get("/api/v1/enterprises/e-1/safety", params={"year": "2025"})
    gateway.get("/api/v1/enterprises/e-1/safety")
    assert [dict(r.url.params) for r in fakes.seen] == [{"year": "2025"}, {}]


def test_tip_statistics_forward_the_period_and_default_to_the_last_30_days(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.answer("reports", "GET", "/statistics", TIP_FIGURES)
    period = {"start": "2026-05-01T00:00:00+08:00", "end": "2026-06-01T00:00:00+08:00"}
    given = gateway.get("/api/v1/tip-stats", params=period)
    assert given.status_code == 200, given.text
    assert given.json()["figures"] == TIP_FIGURES["figures"]
    assert gateway.get("/api/v1/tip-stats").status_code == 200
    forwarded, defaulted = (dict(r.url.params) for r in fakes.seen)
    assert forwarded == period
    window = datetime.fromisoformat(defaulted["end"]) - datetime.fromisoformat(defaulted["start"])
    assert window == timedelta(days=30)


def test_the_fleet_snapshot_leaves_out_the_elements_nothing_reported(
    gateway: TestClient, fakes: FakeServices
) -> None:
    """Given telemetry's snapshot of a machine with a location but no odometer (its terminal
    never gave item 0x01), when it passes the gateway, then `Distance` and the other absent
    elements stay out, as ISO 15143-3 has it, rather than coming back as null (decision 116)."""
    snapshot = {
        "Fleet": {
            "version": "2",
            "snapshotTime": "2026-05-11T14:00:00Z",
            "Equipment": [
                {
                    "EquipmentHeader": {"EquipmentID": "m-1"},
                    "Location": {
                        "datetime": "2026-05-11T14:00:00Z",
                        "Latitude": 30.66,
                        "Longitude": 113.17,
                    },
                }
            ],
        }
    }
    _scope_answers(fakes)
    fakes.answer("telemetry", "GET", "/enterprises/e-1/fleet", httpx.Response(200, json=snapshot))
    response = gateway.get("/api/v1/enterprises/e-1/fleet")
    assert response.status_code == 200, response.text
    assert response.json() == snapshot
