"""Lists are filtered to the caller's scope; objects out of it are not found, by id or in a list."""

from __future__ import annotations

import json

import jwt
import pytest
from fastapi.testclient import TestClient
from tianmen_gateway.identity.demo_users import DemoUser
from tianmen_gateway.identity.principal import Role
from tianmen_runtime import identity

from . import safety_world
from . import world as w
from .conftest import FakeServices, as_

NEIGHBOUR = DemoUser("neighbour", Role.TOWNSHIP_STAFF, "429006107")  # 岳口镇


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


def test_a_citizen_reads_and_follows_their_own_tip_and_not_anothers(
    world: TestClient, fakes: FakeServices
) -> None:
    citizen = as_(world, w.USERS[Role.CITIZEN])
    for path in ("/api/v1/tips/{}", "/api/v1/tips/{}/progress"):
        assert world.get(path.format("tip-1"), headers=citizen).status_code == 200
        assert world.get(path.format("tip-2"), headers=citizen).status_code == 404
    rewards = world.get("/api/v1/rewards", headers=citizen)
    assert rewards.json()["items"][0]["amount_yuan"] == 50
    assert {r.headers["x-reporter-id"] for r in fakes.requests_to("reports")} == {"citizen"}
    staff = as_(world, w.USERS[Role.CITY_STAFF])
    assert world.get("/api/v1/tips/tip-2", headers=staff).status_code == 200


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
    vouched = jwt.decode(sent.headers[identity.HEADER], options={"verify_signature": False})
    assert (vouched["sub"], vouched["role"]) == ("township", "township_staff")
    assert b"someone-else" not in sent.content


def test_a_neighbouring_liaison_cannot_decide_a_case_outside_their_township(
    world: TestClient,
) -> None:
    answer = world.post("/api/v1/cases/case-in/confirm", json={}, headers=as_(world, NEIGHBOUR))
    assert answer.status_code == 404


def test_a_liaison_files_a_hazard_in_their_township_only_and_is_named_as_who_ordered(
    world: TestClient, fakes: FakeServices
) -> None:
    hazard = {**safety_world.HAZARD, "enterprise_id": "e-in"}
    township = as_(world, w.USERS[Role.TOWNSHIP_STAFF])
    assert world.post("/api/v1/hazards", json=hazard, headers=township).status_code == 202
    [sent] = [r for r in fakes.seen if r.method == "POST" and r.url.path == "/hazards"]
    vouched = jwt.decode(sent.headers[identity.HEADER], options={"verify_signature": False})
    assert vouched["sub"] == "township"
    neighbour = world.post("/api/v1/hazards", json=hazard, headers=as_(world, NEIGHBOUR))
    assert neighbour.status_code == 404
    assert len([r for r in fakes.seen if r.url.path == "/hazards"]) == 1


def test_orders_are_listed_to_staff_by_jurisdiction(world: TestClient) -> None:
    assert listed(world, "/api/v1/orders", NEIGHBOUR, "order_id") == {"order-out"}


def test_a_hazard_on_another_enterprises_machine_is_refused_naming_the_machine(
    world: TestClient, fakes: FakeServices
) -> None:
    hazard = {**safety_world.HAZARD, "enterprise_id": "e-in", "machine_id": "m-out"}
    answer = world.post(
        "/api/v1/hazards", json=hazard, headers=as_(world, w.USERS[Role.CITY_STAFF])
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "machine_id" in answer.text
    assert [r for r in fakes.seen if r.url.path == "/hazards"] == []


def test_the_tips_queue_shows_staff_the_tips_of_their_jurisdiction(world: TestClient) -> None:
    def queue(role: Role) -> set[str]:
        response = world.get("/api/v1/tips", headers=as_(world, w.USERS[role]))
        assert response.status_code == 200, response.text
        return {tip["tip_id"] for tip in response.json()["items"]}

    assert queue(Role.CITY_STAFF) == queue(Role.AUDITOR) == {"tip-1", "tip-2"}
    assert queue(Role.COUNTY_STAFF) == queue(Role.TOWNSHIP_STAFF) == {"tip-1"}
    station = as_(world, w.USERS[Role.COUNTY_STAFF])
    evidence = world.get("/api/v1/tips/tip-1/evidence", headers=station)
    assert evidence.status_code == 200
    assert [m["machine_id"] for m in evidence.json()] == ["m-near-tip-1"]
    assert world.get("/api/v1/tips/tip-2/evidence", headers=station).status_code == 404


def test_a_tip_step_is_recorded_as_the_caller_whatever_the_body_says(
    world: TestClient, fakes: FakeServices
) -> None:
    station = as_(world, w.USERS[Role.COUNTY_STAFF])
    body = {"outcome": "unfounded", "reason": "现场无施工", "verifier": "someone-else"}
    assert world.post("/api/v1/tips/tip-1/dismiss", json=body, headers=station).status_code == 200
    assert world.post("/api/v1/tips/tip-2/dismiss", json=body, headers=station).status_code == 404
    [sent] = [r for r in fakes.requests_to("reports") if r.method == "POST"]
    assert sent.url.path == "/staff/tips/tip-1/dismiss"
    assert json.loads(sent.content) == {**body, "verifier": "station"}


def test_a_tips_photo_reaches_staff_of_its_jurisdiction_only(
    world: TestClient, fakes: FakeServices
) -> None:
    township = as_(world, w.USERS[Role.TOWNSHIP_STAFF])
    photo = world.get("/api/v1/tips/tip-1/media/photo-1", headers=township)
    assert photo.status_code == 200
    assert (photo.headers["content-type"], photo.content) == ("image/jpeg", w.PHOTO_BYTES)
    fakes.seen.clear()
    refused = world.get("/api/v1/tips/tip-2/media/photo-1", headers=township)
    assert refused.status_code == 404
    assert [r.url.path for r in fakes.seen] == ["/tips/tip-2/progress"]  # never the photo
