"""Views composed from several services: the enterprise overview and the audit digests."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import httpx
from fastapi.testclient import TestClient

from . import contracts as c

if TYPE_CHECKING:
    from .conftest import FakeServices

ENTERPRISE = c.body(c.ENTERPRISE)
LEDGER = c.body(c.LEDGER)
SCORE = c.body(c.SCORE)
LINKS = {
    "violations": "/api/v1/enterprises/e-1/safety/violations",
    "deductions": "/api/v1/enterprises/e-1/safety/deductions",
    "credit_history": "/api/v1/enterprises/e-1/credit/history",
    "alerts": "/api/v1/alerts?enterprise_id=e-1",
    "machines": "/api/v1/machines?enterprise_id=e-1",
}


def serve_enterprise(fakes: FakeServices, **overrides: Any) -> None:
    answers = {
        ("registry", "/enterprises/e-1"): ENTERPRISE,
        ("safety", "/enterprises/e-1/ledger"): LEDGER,
        ("credit", "/enterprises/e-1/score"): SCORE,
    }
    for (service, path), answer in answers.items():
        fakes.answer(service, "GET", path, overrides.get(service, answer))


def test_the_enterprise_view_composes_registry_safety_and_credit(
    gateway: TestClient, fakes: FakeServices
) -> None:
    serve_enterprise(fakes)
    response = gateway.get("/api/v1/enterprises/e-1")
    assert response.status_code == 200
    assert response.json() == {**ENTERPRISE, "safety": LEDGER, "credit": SCORE, "links": LINKS}


def test_the_enterprise_view_is_the_same_size_however_long_the_history(
    gateway: TestClient, fakes: FakeServices
) -> None:
    serve_enterprise(fakes)
    young = gateway.get("/api/v1/enterprises/e-1").json()
    aged_ledger = {**LEDGER, "balance": 0, "violation_count": 4000, "deduction_count": 4000}
    serve_enterprise(fakes, safety={**aged_ledger, "key_supervision": True})
    aged = gateway.get("/api/v1/enterprises/e-1").json()
    assert aged["safety"]["violation_count"] == 4000
    assert c.shape(aged) == c.shape(young)


def test_a_part_outside_its_contract_fails_the_view_with_a_502_naming_it(
    gateway: TestClient, fakes: FakeServices
) -> None:
    serve_enterprise(fakes, safety={**LEDGER, "balance": "plenty"})
    response = gateway.get("/api/v1/enterprises/e-1")
    assert (response.status_code, response.json()["service"]) == (502, "safety")


def test_the_three_services_are_asked_concurrently(
    gateway: TestClient, fakes: FakeServices
) -> None:
    arrived: list[str] = []
    everyone = asyncio.Event()

    def when_all_have_arrived(body: dict[str, Any]) -> Any:
        async def answer(request: httpx.Request) -> httpx.Response:
            arrived.append(request.url.host)
            if len(arrived) == 3:
                everyone.set()
            # Asked one after another, the first would wait here alone until the timeout.
            await asyncio.wait_for(everyone.wait(), timeout=2)
            return httpx.Response(200, json=body)

        return answer

    serve_enterprise(
        fakes,
        registry=when_all_have_arrived(ENTERPRISE),
        safety=when_all_have_arrived(LEDGER),
        credit=when_all_have_arrived(SCORE),
    )
    assert gateway.get("/api/v1/enterprises/e-1").status_code == 200


def test_a_part_that_is_not_a_200_fails_the_view_with_that_answer(
    gateway: TestClient, fakes: FakeServices
) -> None:
    # Credit answers every enterprise id, so a 404 from it is a fault, never "no score yet".
    not_found = fakes.problem(404)
    serve_enterprise(fakes, credit=not_found)
    response = gateway.get("/api/v1/enterprises/e-1")
    assert (response.status_code, response.content) == (404, not_found.content)


def test_an_unknown_enterprise_is_the_registrys_404(
    gateway: TestClient, fakes: FakeServices
) -> None:
    not_found = fakes.problem(404, field="enterprise_id")
    serve_enterprise(fakes, registry=not_found)
    response = gateway.get("/api/v1/enterprises/e-1")
    assert response.status_code == 404
    assert response.content == not_found.content


def test_the_enterprise_view_is_a_503_naming_a_service_that_is_down(
    gateway: TestClient, fakes: FakeServices
) -> None:
    serve_enterprise(fakes)
    fakes.down.add("credit")
    response = gateway.get("/api/v1/enterprises/e-1")
    assert response.status_code == 503
    assert response.json()["service"] == "credit"


def test_every_part_of_the_enterprise_view_carries_the_correlation_id(
    gateway: TestClient, fakes: FakeServices
) -> None:
    serve_enterprise(fakes)
    gateway.get("/api/v1/enterprises/e-1", headers={"X-Correlation-ID": "cid-7"})
    assert [r.headers["x-correlation-id"] for r in fakes.seen] == ["cid-7"] * 3


def test_the_audit_digests_sit_side_by_side(gateway: TestClient, fakes: FakeServices) -> None:
    fakes.answer("telemetry", "GET", "/digest", {"digest": "cc33"})
    fakes.answer("safety", "GET", "/digest", {"digest": "aa11"})
    fakes.answer("credit", "GET", "/digest", {"digest": "bb22"})
    response = gateway.get("/api/v1/audit/digests")
    expected = {"telemetry": "cc33", "safety": "aa11", "credit": "bb22"}
    assert (response.status_code, response.json()) == (200, expected)


def test_a_digest_answer_without_a_digest_is_a_502(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.answer("telemetry", "GET", "/digest", {"digest": "cc33"})
    fakes.answer("safety", "GET", "/digest", {"digest": "aa11"})
    fakes.answer("credit", "GET", "/digest", httpx.Response(200, text="<html>"))
    response = gateway.get("/api/v1/audit/digests")
    assert (response.status_code, response.json()["service"]) == (502, "credit")


def _fresh(body: Any, lag: str, measured_at: str | None = None) -> httpx.Response:
    headers = {"x-consumer-lag": lag}
    if measured_at:
        headers["x-lag-measured-at"] = measured_at
    return httpx.Response(200, json=body, headers=headers)


def test_the_enterprise_view_is_as_current_as_its_stalest_part(
    gateway: TestClient, fakes: FakeServices
) -> None:
    serve_enterprise(
        fakes,
        safety=_fresh(LEDGER, "1200", "2026-05-12T08:00:09+00:00"),
        credit=_fresh(SCORE, "3", "2026-05-12T08:00:01+00:00"),
    )
    response = gateway.get("/api/v1/enterprises/e-1")
    assert response.status_code == 200
    assert response.headers["x-consumer-lag"] == "1200"
    assert response.headers["x-lag-measured-at"] == "2026-05-12T08:00:01+00:00"


def test_the_enterprise_view_is_of_unknown_age_while_a_part_has_not_measured(
    gateway: TestClient, fakes: FakeServices
) -> None:
    serve_enterprise(
        fakes,
        safety=_fresh(LEDGER, "0", "2026-05-12T08:00:09+00:00"),
        credit=_fresh(SCORE, "unknown"),
    )
    response = gateway.get("/api/v1/enterprises/e-1")
    assert response.headers["x-consumer-lag"] == "unknown"
    assert "x-lag-measured-at" not in response.headers
