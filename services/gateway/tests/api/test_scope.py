"""Lists are filtered to the caller's scope; objects out of it are not found, by id or in a list."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from tianmen_gateway.bootstrap import build
from tianmen_gateway.entrypoints.api import build_api
from tianmen_gateway.identity.demo_users import DemoUser
from tianmen_gateway.identity.principal import Role

from . import world as w
from .conftest import SETTINGS, FakeServices, bearer, conforms

NEIGHBOUR = DemoUser("neighbour", Role.TOWNSHIP_STAFF, "429006106")  # 渔薪镇


@pytest.fixture
def world(fakes: FakeServices) -> Iterator[TestClient]:
    w.populate(fakes)
    app = build_api(build(SETTINGS), transport=httpx.MockTransport(fakes.handle))
    with TestClient(app) as client:
        client.event_hooks = {"response": [lambda response: conforms(app, response)]}
        yield client


def as_(client: TestClient, user: DemoUser) -> dict[str, str]:
    return bearer(client.app, user)  # type: ignore[arg-type]


def listed(client: TestClient, path: str, user: DemoUser, key: str = "enterprise_id") -> set[str]:
    response = client.get(path, headers=as_(client, user))
    assert response.status_code == 200, response.text
    assert response.json()["next_cursor"] == "bmV4dA"  # the service's cursor, kept as it was
    return {item[key] for item in response.json()["items"]}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/enterprises",
        "/api/v1/machines",
        "/api/v1/alerts",
        "/api/v1/cases",
        "/api/v1/lists/key-supervision",
    ],
)
@pytest.mark.parametrize(
    ("role", "visible"),
    [
        (Role.CITY_STAFF, {"e-in", "e-out"}),
        (Role.COUNTY_STAFF, {"e-in"}),
        (Role.TOWNSHIP_STAFF, {"e-in"}),
        (Role.INSPECTOR, {"e-in"}),
        (Role.ENTERPRISE, {"e-in"}),
        (Role.AUDITOR, {"e-in", "e-out", "e-far"}),
    ],
)
def test_each_list_holds_only_what_the_caller_may_see(
    world: TestClient, path: str, role: Role, visible: set[str]
) -> None:
    assert listed(world, path, w.USERS[role]) == visible


def test_a_township_liaison_cannot_see_a_neighbouring_townships_machine(
    world: TestClient,
) -> None:
    township = w.USERS[Role.TOWNSHIP_STAFF]
    assert world.get("/api/v1/machines/m-out", headers=as_(world, township)).status_code == 404
    assert world.get("/api/v1/machines/m-in", headers=as_(world, township)).status_code == 200
    assert "m-out" not in listed(world, "/api/v1/machines", township, "machine_id")
    # …and the neighbour sees theirs, not ours.
    assert world.get("/api/v1/machines/m-out", headers=as_(world, NEIGHBOUR)).status_code == 200
    assert listed(world, "/api/v1/machines", NEIGHBOUR, "machine_id") == {"m-out"}


def test_out_of_scope_reads_the_same_as_missing(world: TestClient) -> None:
    township = as_(world, w.USERS[Role.TOWNSHIP_STAFF])
    hidden = world.get("/api/v1/machines/m-out", headers=township)
    missing = world.get("/api/v1/machines/m-none", headers=township)
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())


@pytest.mark.parametrize("suffix", ["", "/safety", "/safety/violations", "/credit/history"])
def test_an_enterprise_cannot_read_another_enterprises_ledger(
    world: TestClient, fakes: FakeServices, suffix: str
) -> None:
    user = w.USERS[Role.ENTERPRISE]
    assert world.get(f"/api/v1/enterprises/e-in{suffix}", headers=as_(world, user)).is_success
    fakes.seen.clear()
    response = world.get(f"/api/v1/enterprises/e-out{suffix}", headers=as_(world, user))
    assert response.status_code == 404
    assert fakes.seen == []  # nothing of theirs was even fetched


def test_an_enterprise_user_asks_the_service_for_their_own_machines(
    world: TestClient, fakes: FakeServices
) -> None:
    world.get("/api/v1/machines", headers=as_(world, w.USERS[Role.ENTERPRISE]))
    [sent] = fakes.requests_to("registry")
    assert sent.url.params["enterprise_id"] == "e-in"


def test_a_citizen_cannot_read_a_tip_by_id(world: TestClient) -> None:
    """Reports does not yet record who sent a tip, so no citizen reads one by id (not even
    their own); city staff and auditors do."""
    citizen = as_(world, w.USERS[Role.CITIZEN])
    assert world.get("/api/v1/tips/tip-1", headers=citizen).status_code == 404
    staff = as_(world, w.USERS[Role.CITY_STAFF])
    assert world.get("/api/v1/tips/tip-1", headers=staff).status_code == 200


def test_registering_outside_ones_jurisdiction_is_forbidden_and_not_forwarded(
    world: TestClient, fakes: FakeServices
) -> None:
    city = as_(world, w.USERS[Role.CITY_STAFF])
    body = {"uscc": w.USCC_OUT, "name": "武汉市乙公司"}
    response = world.post("/api/v1/enterprises", json=body, headers=city)
    assert response.status_code == 403
    assert fakes.requests_to("registry") == []


def test_a_decision_names_the_caller_as_its_actor_whatever_the_body_says(
    world: TestClient, fakes: FakeServices
) -> None:
    answer = world.post(
        "/api/v1/cases/case-in/confirm",
        json={"reason": "", "actor": "someone-else"},
        headers=as_(world, w.USERS[Role.TOWNSHIP_STAFF]),
    )
    assert answer.status_code == 202, answer.text
    [sent] = [r for r in fakes.seen if r.method == "POST" and r.url.path.startswith("/cases/")]
    assert sent.headers["x-actor"] == "township"
    assert b"someone-else" not in sent.content


def test_a_neighbouring_liaison_cannot_decide_a_case_outside_their_township(
    world: TestClient,
) -> None:
    answer = world.post("/api/v1/cases/case-in/confirm", json={}, headers=as_(world, NEIGHBOUR))
    assert answer.status_code == 404
