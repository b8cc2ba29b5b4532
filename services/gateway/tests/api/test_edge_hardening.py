"""Bodies refused before parsing, security headers, strict CORS, and docs that load offline."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.testclient import TestClient
from tianmen_gateway.bootstrap import build
from tianmen_gateway.entrypoints.api import build_api
from tianmen_gateway.entrypoints.body_guard import depth

from .conftest import SETTINGS, FakeServices

TIPS = "/api/v1/tips"
TIP = b'{"category": "night_work", "description": "d", "latitude": 30.6, "longitude": 113.1, "anonymous": true}'


def refused(response: httpx.Response, status: int, fakes: FakeServices) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert fakes.seen == []  # nothing reached a service
    body: dict[str, object] = response.json()
    assert body["status"] == status and str(body["type"]).startswith("urn:tianmen:problem:")
    return body


def test_invalid_utf8_is_a_400_problem_naming_the_body(
    gateway: TestClient, fakes: FakeServices
) -> None:
    raw = TIP.replace(b'"d"', b'"\xff\xfe"')
    response = gateway.post(TIPS, content=raw, headers={"content-type": "application/json"})
    body = refused(response, 400, fakes)
    assert body["errors"] == [{"field": "body", "message": "not UTF-8 at byte 43"}]


def test_json_nested_too_deep_is_a_400_problem(gateway: TestClient, fakes: FakeServices) -> None:
    raw = b'{"description": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    response = gateway.post(TIPS, content=raw, headers={"content-type": "application/json"})
    assert "nested deeper" in str(refused(response, 400, fakes)["detail"])


@pytest.mark.parametrize("media", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_that_is_not_json_is_415(
    gateway: TestClient, fakes: FakeServices, media: str | None
) -> None:
    headers = {"content-type": media} if media else {}
    refused(gateway.post(TIPS, content=TIP, headers=headers), 415, fakes)


def test_a_body_over_the_cap_is_413_before_it_is_read(fakes: FakeServices) -> None:
    settings = SETTINGS.model_copy(update={"max_body_bytes": 100})
    app = build_api(build(settings), transport=httpx.MockTransport(fakes.handle))
    with TestClient(app) as client:
        declared = client.post(TIPS, content=b"x" * 101, headers={"content-type": "text/plain"})
        streamed = client.post(TIPS, content=iter([b"[" * 60, b"]" * 60]))
    refused(declared, 413, fakes)  # 413 even though it is not JSON either: never parsed
    refused(streamed, 413, fakes)  # no Content-Length: counted as it arrives


def test_every_answer_carries_the_security_headers(gateway: TestClient) -> None:
    for response in (gateway.get("/api/v1/machines/m-1"), gateway.get("/docs")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert gateway.get("/api/v1/machines/m-1").headers["cache-control"] == "no-store"


def test_cors_answers_only_configured_origins(fakes: FakeServices) -> None:
    settings = SETTINGS.model_copy(update={"cors_origins": ["https://jg.tianmen.gov.cn"]})
    app = build_api(build(settings), transport=httpx.MockTransport(fakes.handle))
    preflight = {"access-control-request-method": "GET"}
    with TestClient(app) as client:
        ours = client.options(
            "/api/v1/alerts", headers={**preflight, "origin": "https://jg.tianmen.gov.cn"}
        )
        theirs = client.options(
            "/api/v1/alerts", headers={**preflight, "origin": "https://evil.example"}
        )
    assert ours.headers["access-control-allow-origin"] == "https://jg.tianmen.gov.cn"
    assert "access-control-allow-origin" not in theirs.headers


def test_without_configured_origins_no_origin_is_allowed(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.answer("telemetry", "GET", "/alerts", {"items": [], "next_cursor": None})
    response = gateway.get("/api/v1/alerts", headers={"origin": "https://jg.tianmen.gov.cn"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_load_everything_from_the_gateway_itself(gateway: TestClient, page: str) -> None:
    html = gateway.get(page).text
    urls = re.findall(r"""(?:src|href)=["']([^"']+)""", html) + re.findall(r"url: '([^']+)'", html)
    assert urls and all(url.startswith("/") for url in urls), urls
    for url in urls:
        assert gateway.get(url).status_code == 200, url


def test_the_openapi_documents_every_status_a_body_can_get(gateway: TestClient) -> None:
    answers = gateway.get("/openapi.json").json()["paths"][TIPS]["post"]["responses"]
    assert {"400", "401", "403", "413", "415", "422"} <= set(answers)
    assert list(answers["415"]["content"]) == ["application/problem+json"]


def test_depth_counts_nesting_outside_strings() -> None:
    assert depth(b'{"a": [1, {"b": "[[[[{{"}]}') == 3
    assert depth(b'"\\\\"') == 0
