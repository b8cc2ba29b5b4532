"""A failed answer says what is known of the write, and when to try again."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient

from . import contracts as c
from .conftest import FakeServices

REPORT = {
    "terminal_id": "013912345678",
    "reported_at": "2024-05-01T22:30:00+08:00",
    "latitude": 30.66,
    "longitude": 113.17,
    "working": True,
}
REPORTS: dict[str, list[object]] = {"reports": [REPORT]}


def test_a_command_that_never_reached_its_service_says_nothing_was_written(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.down.add("telemetry")
    response = gateway.post("/api/v1/telemetry/reports", json=REPORTS)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert "nothing was written" in response.json()["detail"]


def test_an_unanswered_command_says_it_may_have_been_applied_and_retrying_is_safe(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.answer("telemetry", "POST", "/reports", httpx.ReadTimeout("slow"))
    response = gateway.post("/api/v1/telemetry/reports", json=REPORTS)
    assert response.status_code == 504
    assert response.headers["retry-after"] == "5"
    detail = response.json()["detail"]
    assert "may still have been applied" in detail and "retrying the same request is safe" in detail


def test_an_unanswered_read_makes_no_claim_about_writes(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.answer("reports", "GET", "/tips/tip-1", httpx.ReadTimeout("slow"))
    response = gateway.get("/api/v1/tips/tip-1")
    assert response.status_code == 504
    assert "applied" not in response.json()["detail"]


def test_a_services_own_503_keeps_its_words_and_retry_after(
    gateway: TestClient, fakes: FakeServices
) -> None:
    unconfirmed = httpx.Response(
        503,
        json={
            "type": "urn:tianmen:problem:reports-not-confirmed",
            "title": "Reports not confirmed",
            "status": 503,
            "detail": "the batch was not confirmed: retrying it is safe",
        },
        headers={"retry-after": "7"},
    )
    fakes.answer("telemetry", "POST", "/reports", unconfirmed)
    response = gateway.post("/api/v1/telemetry/reports", json=REPORTS)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "7"
    body = response.json()
    assert (body["title"], body["service"]) == ("Reports not confirmed", "telemetry")
    assert body["detail"] == "the batch was not confirmed: retrying it is safe"


def test_a_forwarded_read_says_how_far_behind_its_service_is(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.answer(
        "telemetry",
        "GET",
        "/terminals/t-1",
        httpx.Response(
            200,
            json=c.body(c.TERMINAL),
            headers={"x-consumer-lag": "42", "x-lag-measured-at": "2026-05-12T08:00:01+00:00"},
        ),
    )
    response = gateway.get("/api/v1/terminals/t-1")
    assert response.status_code == 200
    assert response.headers["x-consumer-lag"] == "42"
    assert response.headers["x-lag-measured-at"] == "2026-05-12T08:00:01+00:00"
