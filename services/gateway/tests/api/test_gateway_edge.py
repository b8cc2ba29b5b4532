"""The gateway's own edge: readiness, landing page, OpenAPI, start-up without a broker."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tianmen_gateway.bootstrap import build
from tianmen_gateway.config import Settings
from tianmen_runtime.service import Service


def test_readiness_is_the_ready_flag_without_probing_services(
    gateway: TestClient, service: Service
) -> None:
    assert gateway.get("/readyz").status_code == 503
    service.ready.set()
    assert gateway.get("/readyz").status_code == 200


def test_the_landing_page_links_to_the_docs(gateway: TestClient) -> None:
    response = gateway.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'href="/docs"' in response.text


def test_the_openapi_document_is_titled_and_errors_are_problems(gateway: TestClient) -> None:
    schema = gateway.get("/openapi.json").json()
    assert schema["info"]["title"] == "Tianmen machinery supervision API"
    post_tip = schema["paths"]["/api/v1/tips"]["post"]
    assert post_tip["tags"] == ["tips"]
    assert list(post_tip["responses"]["422"]["content"]) == ["application/problem+json"]
    assert "HTTPValidationError" not in schema["components"]["schemas"]


def test_service_urls_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDIT_URL", "http://credit.svc:8080")
    assert Settings().service_urls()["credit"] == "http://credit.svc:8080"
    assert Settings().service_urls()["registry"] == "http://127.0.0.1:8101"


def test_preparing_the_gateway_needs_no_kafka_broker() -> None:
    service = build(Settings(kafka_bootstrap_servers="127.0.0.1:1"))
    service.prepare()  # would raise NoBrokersAvailable if it tried to create topics
    assert service.produces == () and service.subscription is None
