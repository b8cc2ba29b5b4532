"""A testing agency (accredited city-wide) files third-party tests under its own id, for any
enterprise, and reads only the tests it filed: in a list, and by id (404 otherwise)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from tianmen_gateway.identity.demo_users import DemoUser
from tianmen_gateway.identity.principal import Role

from . import inspection_world as iw
from . import world as w
from .conftest import FakeServices, as_

LAB = w.USERS[Role.TESTING_AGENCY]
OTHER_LAB = DemoUser("lab-two", Role.TESTING_AGENCY, enterprise_id="lab-2")
TEST = {**iw.TEST, "enterprise_id": "e-far"}  # an enterprise of another city: no matter


def test_an_agency_files_its_own_test_for_any_enterprise_and_the_service_hears_it(
    world: TestClient, fakes: FakeServices
) -> None:
    fakes.seen.clear()
    answer = world.post("/api/v1/inspections/third-party-tests", json=TEST, headers=as_(world, LAB))
    assert answer.status_code == 202, answer.text
    [sent] = [r for r in fakes.requests_to("safety") if r.method == "POST"]
    assert json.loads(sent.content)["agency"] == "lab-1"


def test_an_agency_cannot_file_a_test_under_another_agencys_name(
    world: TestClient, fakes: FakeServices
) -> None:
    fakes.seen.clear()
    body = {**TEST, "agency": "lab-2"}
    answer = world.post("/api/v1/inspections/third-party-tests", json=body, headers=as_(world, LAB))
    assert answer.status_code == 403
    assert answer.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in answer.json()["errors"]] == ["agency"]
    assert fakes.requests_to("safety") == []  # nothing reached the service
    unnamed = {k: v for k, v in TEST.items() if k != "agency"}
    answer = world.post(
        "/api/v1/inspections/third-party-tests", json=unnamed, headers=as_(world, LAB)
    )
    assert answer.status_code == 422 and "agency" in answer.text


def test_an_agency_lists_only_the_tests_it_filed(world: TestClient, fakes: FakeServices) -> None:
    fakes.seen.clear()
    for user, own in ((LAB, {"insp-in"}), (OTHER_LAB, {"insp-out", "insp-far"})):
        answer = world.get("/api/v1/inspections", headers=as_(world, user))
        assert answer.status_code == 200, answer.text
        assert {i["inspection_id"] for i in answer.json()["items"]} == own
    asked = [dict(r.url.params) for r in fakes.requests_to("safety")]
    assert {(a["agency"], a["kind"]) for a in asked} == {
        ("lab-1", "third_party"),
        ("lab-2", "third_party"),
    }


def test_an_agency_reads_its_own_test_by_id_and_another_agencys_as_missing(
    world: TestClient,
) -> None:
    own = world.get("/api/v1/inspections/insp-in", headers=as_(world, LAB))
    assert (own.status_code, own.json()["agency"]) == (200, "lab-1")
    theirs = world.get("/api/v1/inspections/insp-far", headers=as_(world, LAB))
    missing = world.get("/api/v1/inspections/insp-none", headers=as_(world, LAB))
    assert (theirs.status_code, theirs.json()) == (missing.status_code, missing.json())
    assert theirs.status_code == 404
    assert world.get("/api/v1/inspections/insp-far", headers=as_(world, OTHER_LAB)).is_success


def test_an_agency_files_nothing_else(world: TestClient) -> None:
    body = {**iw.SPOT, "enterprise_id": "e-in"}
    answer = world.post("/api/v1/inspections/spot-checks", json=body, headers=as_(world, LAB))
    assert answer.status_code == 403
