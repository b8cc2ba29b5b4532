"""The registry's counter, files, mortgages and verification through the gateway: scoped
lists, the lender's own pledges, files forwarded with their media type, the public plate."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tianmen_gateway.identity.demo_users import DemoUser
from tianmen_gateway.identity.principal import Role

from . import world as w
from .conftest import FakeServices, as_

OTHER_BANK = DemoUser("lender2", Role.LENDER, enterprise_id="bank-2")


def test_a_station_searches_with_filters_and_sees_only_its_machines(
    world: TestClient, fakes: FakeServices
) -> None:
    params = {"kind": "tower_crane", "high_risk": "true", "status": "suspended"}
    response = world.get(
        "/api/v1/machines/search", params=params, headers=as_(world, w.USERS[Role.COUNTY_STAFF])
    )
    assert response.status_code == 200, response.text
    assert [m["enterprise_id"] for m in response.json()["items"]] == ["e-in"]
    [sent] = [r for r in fakes.requests_to("registry") if r.url.path == "/machines/search"]
    assert dict(sent.url.params) == params


def test_an_enterprise_searches_only_its_own_machines(
    world: TestClient, fakes: FakeServices
) -> None:
    world.get("/api/v1/machines/search", headers=as_(world, w.USERS[Role.ENTERPRISE]))
    [sent] = fakes.requests_to("registry")
    assert sent.url.params["enterprise_id"] == "e-in"


@pytest.mark.parametrize(
    ("lender", "sees"), [(w.USERS[Role.LENDER], ["mg-in"]), (OTHER_BANK, ["mg-out", "mg-far"])]
)
def test_a_lender_lists_the_pledges_it_holds_and_no_other(
    world: TestClient, fakes: FakeServices, lender: DemoUser, sees: list[str]
) -> None:
    response = world.get(
        "/api/v1/mortgages", params={"lender": "bank-9"}, headers=as_(world, lender)
    )
    assert response.status_code == 200, response.text
    assert [p["mortgage_id"] for p in response.json()["items"]] == sees
    assert {p["machine_status"] for p in response.json()["items"]} == {"registered"}
    [sent] = fakes.requests_to("registry")
    assert sent.url.params["lender"] == lender.enterprise_id  # never the one it asked for


def test_a_lender_reads_no_machine_file_and_no_enterprise(world: TestClient) -> None:
    lender = as_(world, w.USERS[Role.LENDER])
    assert world.get("/api/v1/machines/m-in/file", headers=lender).status_code == 403
    assert world.get("/api/v1/enterprises/e-in", headers=lender).status_code == 403


def test_the_plate_is_verified_without_a_token(world: TestClient) -> None:
    response = world.get("/api/v1/verify/TM2026-IN")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "suspended"
    assert "enterprise_id" not in response.json()


def test_an_attachment_is_forwarded_with_its_media_type(
    world: TestClient, fakes: FakeServices
) -> None:
    headers = {**as_(world, w.USERS[Role.ENTERPRISE]), "content-type": "application/pdf"}
    pdf = b"%PDF-1.4\n" + b"x" * 2_000_000  # above the JSON limit, within the file's
    response = world.post("/api/v1/attachments", content=pdf, headers=headers)
    assert response.status_code == 201, response.text
    [sent] = fakes.requests_to("registry")
    assert (sent.headers["content-type"], sent.content) == ("application/pdf", pdf)


def test_an_import_that_is_not_a_table_is_refused_before_the_registry(
    world: TestClient, fakes: FakeServices
) -> None:
    headers = {**as_(world, w.USERS[Role.CITY_STAFF]), "content-type": "application/json"}
    response = world.post("/api/v1/imports/machines", content=b"{}", headers=headers)
    assert response.status_code == 415
    assert fakes.requests_to("registry") == []


def test_the_certificate_is_a_pdf(world: TestClient) -> None:
    response = world.get(
        "/api/v1/machines/m-in/certificate.pdf", headers=as_(world, w.USERS[Role.ENTERPRISE])
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
