"""An Open311 GeoReport v2 client through the gateway: a form-encoded post, with or without a
token, refused as the JSON tips are refused; a request's status in the standard's shape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from fastapi.testclient import TestClient
from tianmen_gateway.bootstrap import build
from tianmen_gateway.config import Settings
from tianmen_gateway.entrypoints.api import build_api
from tianmen_gateway.identity.demo_users import DemoUser
from tianmen_gateway.identity.principal import Role

from . import contracts as c
from .conftest import SETTINGS, FakeServices, as_, conforms

BASE = "/open311/v2"
STORE = "https://media.tianmen.gov.cn/tips"
CITIZEN = DemoUser("citizen-9", Role.CITIZEN)


def open311_client(fakes: FakeServices, **settings: Any) -> TestClient:
    """The gateway with no token added for the caller: each test says who calls, if anyone."""
    fakes.answer("reports", "GET", f"{BASE}/services.json", [c.body(c.SERVICE_311)])
    created = httpx.Response(201, json=[c.body(c.CREATED_311)])
    fakes.answer("reports", "POST", f"{BASE}/requests.json", created)
    fakes.answer("reports", "GET", f"{BASE}/requests/tip-1.json", [c.body(c.REQUEST_311)])
    fakes.answer("reports", "GET", f"{BASE}/requests.json", [c.body(c.REQUEST_311)])
    merged: Settings = SETTINGS.model_copy(update={"media_store_url": STORE, **settings})
    app = build_api(build(merged), transport=httpx.MockTransport(fakes.handle))
    client = TestClient(app)
    client.event_hooks = {"response": [lambda response: conforms(app, response)]}
    return client


@pytest.fixture
def client(fakes: FakeServices) -> Iterator[TestClient]:
    with open311_client(fakes) as client:
        yield client


def sent_form(fakes: FakeServices) -> dict[str, list[str]]:
    [sent] = fakes.requests_to("reports")
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    return parse_qs(sent.content.decode())


def test_a_client_without_a_token_lists_services_and_posts_a_request(
    client: TestClient, fakes: FakeServices
) -> None:
    services = client.get(f"{BASE}/services.json")
    assert (services.status_code, services.json()[0]["service_code"]) == (200, "night_work")
    fakes.seen.clear()
    form = {**c.REQUEST_311_IN, "media_url": f"{STORE}/m-1", "email": "a@b.cn", "device_id": "d"}
    posted = client.post(f"{BASE}/requests.json", data=form)
    assert posted.status_code == 201, posted.text
    assert posted.json() == [c.body(c.CREATED_311)]
    [sent] = fakes.requests_to("reports")
    # known by its address: reports keeps only its pseudonym, and limits it as a reporter
    assert sent.headers["x-reporter-id"] == "anonymous:testclient"
    assert sent_form(fakes) == {
        "service_code": ["night_work"],
        "lat": ["30.66"],
        "long": ["113.17"],
        "description": ["夜间施工"],
        "media_url": [f"{STORE}/m-1"],
    }  # fields tips do not keep (an e-mail address) never leave the gateway


def test_a_citizen_posts_as_themselves_and_reads_only_their_own_status(
    client: TestClient, fakes: FakeServices
) -> None:
    posted = client.post(
        f"{BASE}/requests.json", data=c.REQUEST_311_IN, headers=as_(client, CITIZEN)
    )
    assert posted.status_code == 201
    assert fakes.requests_to("reports")[0].headers["x-reporter-id"] == "citizen-9"
    status = client.get(f"{BASE}/requests/tip-1.json", headers=as_(client, CITIZEN))
    assert status.status_code == 200
    assert (status.json()[0]["status"], status.json()[0]["lat"]) == ("open", 30.66)
    assert fakes.requests_to("reports")[1].headers["x-reporter-id"] == "citizen-9"
    assert client.get(f"{BASE}/requests/tip-1.json").status_code == 401  # no token: no status
    listed = client.get(f"{BASE}/requests.json", headers=as_(client, CITIZEN))
    assert (listed.status_code, listed.json()[0]["service_request_id"]) == (200, "tip-1")
    assert fakes.requests_to("reports")[2].headers["x-reporter-id"] == "citizen-9"
    assert client.get(f"{BASE}/requests.json").status_code == 401  # nobody's list


def test_a_token_that_is_not_accepted_is_not_taken_as_none(
    client: TestClient, fakes: FakeServices
) -> None:
    forged = {"Authorization": "Bearer not-a-token"}
    refused = client.post(f"{BASE}/requests.json", data=c.REQUEST_311_IN, headers=forged)
    assert refused.status_code == 401
    assert fakes.requests_to("reports") == []


@pytest.mark.parametrize(
    "role", [Role.ENTERPRISE, Role.LENDER, Role.CITY_STAFF, Role.TERMINAL_PLATFORM]
)
def test_other_roles_may_not_post(client: TestClient, fakes: FakeServices, role: Role) -> None:
    user = DemoUser(f"u-{role.value}", role, "429006" if role is Role.CITY_STAFF else None)
    refused = client.post(f"{BASE}/requests.json", data=c.REQUEST_311_IN, headers=as_(client, user))
    assert refused.status_code == 403
    assert fakes.requests_to("reports") == []


def test_json_is_refused_naming_the_body(client: TestClient, fakes: FakeServices) -> None:
    refused = client.post(f"{BASE}/requests.json", json=c.REQUEST_311_IN)
    assert refused.status_code == 415
    assert refused.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in refused.json()["errors"]] == ["body"]
    assert "application/x-www-form-urlencoded" in refused.json()["detail"]
    # and the form is refused on the JSON intake
    assert client.post("/api/v1/tips", data=c.REQUEST_311_IN).status_code == 415
    assert fakes.requests_to("reports") == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("lat", "95"),
        ("lat", "north"),
        ("long", "-181"),
        ("service_code", "potholes"),
        ("description", ""),
        ("media_url", "https://img.example.cn/1.jpg"),
        ("media_url", f"{STORE}.attacker.example/1.jpg"),
    ],
)
def test_a_bad_field_is_refused_by_name_and_nothing_is_sent(
    client: TestClient, fakes: FakeServices, field: str, value: str
) -> None:
    refused = client.post(f"{BASE}/requests.json", data={**c.REQUEST_311_IN, field: value})
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in refused.json()["errors"]] == [field]
    assert fakes.requests_to("reports") == []


def test_a_missing_field_and_an_oversized_form_are_refused(
    client: TestClient, fakes: FakeServices
) -> None:
    missing = {k: v for k, v in c.REQUEST_311_IN.items() if k != "lat"}
    refused = client.post(f"{BASE}/requests.json", data=missing)
    assert [e["field"] for e in refused.json()["errors"]] == ["lat"]
    huge = client.post(f"{BASE}/requests.json", data={**c.REQUEST_311_IN, "x": "y" * 70_000})
    assert huge.status_code == 413
    assert fakes.requests_to("reports") == []


def test_reports_refusal_passes_through_by_field(client: TestClient, fakes: FakeServices) -> None:
    fakes.answer(
        "reports", "POST", f"{BASE}/requests.json", FakeServices.problem(429, "X-Reporter-Id")
    )
    refused = client.post(f"{BASE}/requests.json", data=c.REQUEST_311_IN)
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["field"] == "X-Reporter-Id"


def test_a_client_without_a_token_is_rate_limited_by_address(fakes: FakeServices) -> None:
    with open311_client(fakes, rate_limit="2/minute") as client:
        answers = [
            client.post(f"{BASE}/requests.json", data=c.REQUEST_311_IN).status_code
            for _ in range(3)
        ]
        limited = client.post(f"{BASE}/requests.json", data=c.REQUEST_311_IN)
        citizen = client.post(
            f"{BASE}/requests.json", data=c.REQUEST_311_IN, headers=as_(client, CITIZEN)
        )
    assert answers == [201, 201, 429]
    assert int(limited.headers["retry-after"]) >= 1
    assert citizen.status_code == 201  # a citizen with a token is counted as themselves
    assert len(fakes.requests_to("reports")) == 3


def test_a_retry_with_the_same_key_is_answered_once(
    client: TestClient, fakes: FakeServices
) -> None:
    key = {"Idempotency-Key": "k-311", **as_(client, CITIZEN)}
    first = client.post(f"{BASE}/requests.json", data=c.REQUEST_311_IN, headers=key)
    again = client.post(f"{BASE}/requests.json", data=c.REQUEST_311_IN, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert len(fakes.requests_to("reports")) == 1
    assert fakes.requests_to("reports")[0].headers["idempotency-key"]
