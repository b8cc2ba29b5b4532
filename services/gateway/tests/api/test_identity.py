"""Logging in to the built-in issuer, and what the gateway answers a caller it cannot verify."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import jwt
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from tianmen_gateway.bootstrap import build
from tianmen_gateway.config import Settings
from tianmen_gateway.entrypoints.api import build_api
from tianmen_gateway.identity import keys

from . import contracts as c
from .conftest import AUDITOR, CITY_STAFF, SETTINGS, FakeServices, bearer

MACHINE = "/api/v1/machines/m-1"


def login(gateway: TestClient, username: str, password: str = "tianmen-dev") -> str:
    response = gateway.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def test_a_demo_user_logs_in_and_reads_with_the_token(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.answer("registry", "GET", "/machines/m-1", c.body(c.MACHINE))
    token = login(gateway, "auditor")
    response = gateway.get(MACHINE, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["machine_id"] == "m-1"


def test_the_jwks_verifies_the_tokens_the_issuer_signs(gateway: TestClient) -> None:
    token = login(gateway, "city")
    jwks = jwt.PyJWKSet.from_dict(gateway.get("/.well-known/jwks.json").json())
    kid = jwt.get_unverified_header(token)["kid"]
    claims = jwt.decode(token, jwks[kid], algorithms=["ES256"], audience="tianmen-api")
    assert (claims["sub"], claims["tianmen_role"], claims["jurisdiction"]) == (
        "city",
        "city_staff",
        "429006",
    )


@pytest.mark.parametrize(("username", "password"), [("city", "wrong"), ("nobody", "tianmen-dev")])
def test_a_wrong_login_is_a_401_problem(gateway: TestClient, username: str, password: str) -> None:
    response = gateway.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 401
    assert response.json()["title"] == "Unauthenticated"
    assert "access_token" not in response.text


@pytest.mark.parametrize(
    "authorization",
    [None, "Basic Y2l0eTp0aWFubWVuLWRldg==", "Bearer", "Bearer not.a.token"],
)
def test_without_a_good_bearer_token_the_answer_is_401_with_a_challenge(
    gateway: TestClient, fakes: FakeServices, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {"Authorization": ""}
    response = gateway.get(MACHINE, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 401
    assert fakes.seen == []  # nothing was asked of any service


def test_an_expired_token_from_our_own_issuer_is_refused(
    gateway: TestClient, fakes: FakeServices
) -> None:
    issuer = gateway.app.state.identity.issuer  # type: ignore[attr-defined]
    stale = issuer.token_for(issuer.users["auditor"], datetime.now(UTC) - timedelta(hours=2))
    response = gateway.get(MACHINE, headers={"Authorization": f"Bearer {stale}"})
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert "expired" in response.json()["detail"]
    assert fakes.seen == []


def test_with_an_identity_provider_configured_there_is_no_demo_login() -> None:
    settings = SETTINGS.model_copy(update={"auth_jwks_url": "http://127.0.0.1:1/certs"})
    with TestClient(build_api(build(settings))) as client:
        response = client.post("/api/v1/auth/token", json={"username": "city", "password": "x"})
    assert response.status_code == 404


def test_the_issuer_key_is_made_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "var" / "gateway-issuer.pem"
    first = keys.public_jwk(keys.load_or_create(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keys.public_jwk(keys.load_or_create(path)) == first


def test_settings_refuse_the_dev_password_outside_dev() -> None:
    with pytest.raises(ValidationError, match="DEMO_PASSWORD"):
        Settings(environment="production")
    assert Settings(environment="production", demo_password="s3cret-from-vault").environment
    assert Settings(environment="production", auth_jwks_url="https://idp.gov/certs")


def test_a_caller_over_the_rate_limit_is_told_when_to_retry(fakes: FakeServices) -> None:
    settings = SETTINGS.model_copy(update={"rate_limit": "3/minute"})
    fakes.answer("registry", "GET", "/machines/m-1", c.body(c.MACHINE))
    fakes.answer("registry", "GET", "/enterprises/e-1", c.body(c.ENTERPRISE))
    app = build_api(build(settings), transport=httpx.MockTransport(fakes.handle))
    with TestClient(app) as client:
        auditor, city = bearer(app, AUDITOR), bearer(app, CITY_STAFF)
        answers = [client.get(MACHINE, headers=auditor) for _ in range(4)]
        forwarded = len(fakes.requests_to("registry"))
        other = client.get(MACHINE, headers=city)
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert 1 <= int(answers[-1].headers["retry-after"]) <= 60
    assert answers[-1].json()["title"] == "Too many requests"
    assert forwarded == 3  # the refused one never reached the registry
    assert other.status_code == 200  # the limit is each caller's own


def test_password_guessing_is_slowed_per_username(fakes: FakeServices) -> None:
    settings = SETTINGS.model_copy(update={"login_rate_limit": "2/minute"})
    with TestClient(build_api(build(settings))) as client:
        guesses = [
            client.post("/api/v1/auth/token", json={"username": "city", "password": f"p{i}"})
            for i in range(3)
        ]
        right = client.post(
            "/api/v1/auth/token", json={"username": "auditor", "password": "tianmen-dev"}
        )
    assert [g.status_code for g in guesses] == [401, 401, 429]
    assert "retry-after" in guesses[-1].headers
    assert right.status_code == 200


@pytest.mark.parametrize(
    ("user", "status"), [(None, 401), ("citizen", 403), ("city", 422)], ids=str
)
def test_a_body_that_is_not_json_is_judged_after_who_sent_it(
    gateway: TestClient, fakes: FakeServices, user: str | None, status: int
) -> None:
    headers = {"content-type": "application/json", "Authorization": ""}
    if user is not None:
        headers["Authorization"] = f"Bearer {login(gateway, user)}"
    response = gateway.post("/api/v1/enterprises", content=b"{not json", headers=headers)
    assert response.status_code == status
    assert fakes.seen == []
