"""Every operation of the published API × every role × an object in or out of their scope.

The operations come from the gateway's OpenAPI document, so a new route fails here until it
has a rule in the gateway and an expectation below. The expectations state the policy in
their own words; they are not read from the gateway's rule table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from tianmen_gateway.bootstrap import build
from tianmen_gateway.entrypoints.api import build_api
from tianmen_gateway.identity.enforce import operations, unruled
from tianmen_gateway.identity.principal import Role

from . import contracts as c
from . import inspection_world, registry_world, safety_world
from . import world as w
from .conftest import SETTINGS, CannedFeed, FakeServices, bearer, conforms

CITY, COUNTY, TOWNSHIP = Role.CITY_STAFF, Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF
STAFF = {CITY, COUNTY, TOWNSHIP}
AGENCY = Role.TESTING_AGENCY
READERS = STAFF | {Role.INSPECTOR, Role.AUDITOR, Role.ENTERPRISE}
OWNERS = STAFF | {Role.ENTERPRISE}


@dataclass(frozen=True)
class Policy:
    roles: set[Role]
    scoped: str = "role"
    """role: the role suffices; object: out of scope is 404 (auditors see all);
    division: the USCC's division must be in the caller's jurisdiction, else 403;
    tip: a tip of the caller's jurisdiction (the city's staff and auditors see every one), and a
    citizen their own tip; filer: a testing agency files anywhere (accredited city-wide),
    staff for the enterprises in their scope."""


OBJECT_READ = Policy(READERS, "object")
POLICY = {
    "issue_token": Policy(set(Role)),
    "get_jwks": Policy(set(Role)),
    "register_enterprise": Policy(STAFF, "division"),
    "list_enterprises": Policy(READERS),
    "get_enterprise": OBJECT_READ,
    "get_safety_ledger": OBJECT_READ,
    "list_violations": OBJECT_READ,
    "list_deductions": OBJECT_READ,
    "get_credit_score": OBJECT_READ,
    "list_credit_history": OBJECT_READ,
    "register_machine": Policy(STAFF | {Role.ENTERPRISE}, "object"),
    "list_machines": Policy(READERS),
    "get_machine": OBJECT_READ,
    "bind_terminal": Policy(STAFF | {Role.ENTERPRISE}, "object"),
    "ingest_reports": Policy({Role.TERMINAL_PLATFORM}),
    "get_terminal": OBJECT_READ,
    "list_alerts": Policy(READERS),
    "get_track": OBJECT_READ,
    "get_machine_usage": OBJECT_READ,
    "get_fleet": OBJECT_READ,
    "get_terminal_status": Policy(STAFF | {Role.INSPECTOR, Role.AUDITOR}),
    "stream_alerts": Policy(READERS),
    "submit_tip": Policy({Role.CITIZEN}),
    "upload_media": Policy({Role.CITIZEN}),
    "get_boundaries": Policy(STAFF | {Role.INSPECTOR, Role.AUDITOR}),
    "get_tip": Policy(STAFF | {Role.INSPECTOR, Role.AUDITOR, Role.CITIZEN}, "tip"),
    # Open311: anyone reads the service list; a citizen (or a client without a token, see
    # test_open311.py) posts; a request's status is read as a tip is
    "list_open311_services": Policy(set(Role)),
    "submit_open311_request": Policy({Role.CITIZEN}),
    "get_open311_request": Policy(STAFF | {Role.INSPECTOR, Role.AUDITOR, Role.CITIZEN}, "tip"),
    "list_open311_requests": Policy({Role.CITIZEN}),  # their own: staff read tips one by one
    "list_tips": Policy(STAFF | {Role.INSPECTOR, Role.AUDITOR}),
    "get_tip_evidence": Policy(STAFF | {Role.INSPECTOR, Role.AUDITOR}, "tip"),
    "get_tip_media": Policy(STAFF | {Role.INSPECTOR, Role.AUDITOR}, "tip"),  # never the citizen's
    "get_tip_progress": Policy(STAFF | {Role.INSPECTOR, Role.AUDITOR, Role.CITIZEN}, "tip"),
    "list_my_rewards": Policy({Role.CITIZEN}),  # their own: reports keeps them by reporter
    "assign_tip": Policy(STAFF, "tip"),
    "start_tip_verification": Policy(STAFF, "tip"),
    "verify_tip": Policy(STAFF, "tip"),
    "dismiss_tip": Policy(STAFF, "tip"),
    "get_digests": Policy({Role.AUDITOR, CITY}),
    "get_tip_statistics": Policy({Role.AUDITOR, CITY}),
    # the registry: owners act for their enterprise, clerks decide, the city sweeps and counts
    "change_enterprise_details": Policy(OWNERS, "object"),
    "get_enterprise_contacts": Policy(OWNERS, "object"),
    "change_enterprise_contacts": Policy(OWNERS, "object"),
    "get_enterprise_file": OBJECT_READ,
    "search_machines": Policy(READERS),
    "get_machine_file": OBJECT_READ,
    "get_certificate": Policy(OWNERS | {Role.AUDITOR}, "object"),
    "unbind_terminal": Policy(OWNERS, "object"),
    "set_suspension": Policy(STAFF, "object"),
    "record_maintenance": Policy(OWNERS, "object"),
    "amend_fuel_tank": Policy(OWNERS, "object"),  # who registers it, within scope
    "pledge_machine": Policy(OWNERS, "object"),
    "release_mortgage": Policy(STAFF | {Role.LENDER}, "object"),
    "record_lender_consent": Policy(STAFF | {Role.LENDER}, "object"),
    "list_pledges": Policy(READERS | {Role.LENDER}),
    "get_mortgage_totals": Policy({CITY, Role.AUDITOR}),
    "upload_attachment": Policy(OWNERS),
    "submit_application": Policy(OWNERS, "object"),
    "get_application": OBJECT_READ,
    "accept_application": Policy(STAFF, "object"),
    "approve_application": Policy(STAFF, "object"),
    "reject_application": Policy(STAFF, "object"),
    "withdraw_application": Policy(OWNERS, "object"),
    "sweep_overdue_applications": Policy({CITY}),
    "sweep_overdue_reviews": Policy({CITY}),
    "get_handling_times": Policy({CITY, Role.AUDITOR}),
    "import_machines": Policy({CITY}),
    "register_site": Policy(OWNERS, "object"),
    "get_site": OBJECT_READ,
    "issue_night_work_permit": Policy(STAFF, "object"),
    "declare_restricted_zone": Policy({CITY}),
    "verify_registration": Policy(set(Role)),
    "get_credit_standing": OBJECT_READ,
    "get_credit_as_of": OBJECT_READ,
    "credit_what_if": Policy({Role.AUDITOR, CITY}),
    "apply_credit_repair": Policy({Role.ENTERPRISE}, "object"),
    "decide_credit_repair": Policy(STAFF, "object"),
    "get_credit_repair": OBJECT_READ,
    "list_restorations": OBJECT_READ,
    "list_cases": Policy(READERS),
    "get_case": OBJECT_READ,
    "decide_case": Policy(STAFF, "object"),
    "get_list": Policy(READERS),
    "record_hazard": Policy(STAFF, "object"),
    "record_reinspection": Policy(STAFF, "object"),
    "list_orders": Policy(READERS),
    "get_order": OBJECT_READ,
    # inspections: an enterprise files its own self-inspections, staff the rest for enterprises
    # in their scope; lists are filtered to what the caller sees; campaigns and their figures
    # are city-wide, the accident figures for the city's staff and auditors only
    "file_self_inspection": Policy(OWNERS, "object"),
    "file_spot_check": Policy(STAFF, "object"),
    "file_third_party_test": Policy(STAFF | {AGENCY}, "filer"),
    "record_accident": Policy(STAFF, "object"),
    "list_inspections": Policy(READERS | {AGENCY}),
    "get_inspection": Policy(READERS | {AGENCY}, "object"),  # an agency: the tests it filed
    "list_accidents": Policy(READERS),
    "get_accident_statistics": Policy({CITY, Role.AUDITOR}),
    "launch_campaign": Policy({CITY}),
    "list_campaigns": Policy(READERS),
    "get_campaign": Policy(READERS),
    "get_campaign_report": Policy(STAFF | {Role.INSPECTOR, Role.AUDITOR}),
}
REPORT = {
    "terminal_id": "13912345678",
    "reported_at": "2026-05-11T23:30:00+08:00",
    "latitude": 30.66,
    "longitude": 113.17,
    "working": True,
}
MACHINE_IN = {"kind": "excavator", "brand": "三一", "model": "SY215C", "serial_number": "S1"}
BODIES: dict[str, dict[str, Any]] = {
    "issue_token": {w.IN: {"username": "city", "password": "tianmen-dev"}},
    "register_enterprise": {
        w.IN: {"uscc": w.USCC_IN, "name": "天门市甲公司"},
        w.OUT: {"uscc": w.USCC_OUT, "name": "武汉市乙公司"},
    },
    "register_machine": {
        w.IN: {**MACHINE_IN, "enterprise_id": "e-in"},
        w.OUT: {**MACHINE_IN, "enterprise_id": "e-far"},
    },
    "bind_terminal": {w.IN: {"terminal_id": "13912345678"}},
    "ingest_reports": {w.IN: {"reports": [REPORT]}},
    "submit_tip": {w.IN: c.TIP_IN},
    **registry_world.BODIES,
    "credit_what_if": {w.IN: {"version": "candidate"}},
    "apply_credit_repair": {w.IN: {"target_event_id": "ev-1", "evidence": ["media-1"]}},
    "decide_credit_repair": {w.IN: {"approved": True, "decided_by": "x", "reason": "rectified"}},
    "decide_case": {w.IN: {"reason": ""}},
    "verify_tip": {w.IN: {"enterprise_id": "e-in", "major_hazard": False}},
    "dismiss_tip": {w.IN: {"outcome": "unfounded", "reason": "现场无施工"}},
    **safety_world.BODIES,
    **inspection_world.BODIES,
}

PHOTO = {"file": ("tip.jpg", b"\xff\xd8\xff", "image/jpeg")}
SENT: dict[str, dict[str, Any]] = {
    "upload_media": {"files": PHOTO},
    "submit_open311_request": {"data": c.REQUEST_311_IN},
}
"""Operations whose body is not JSON: what is sent instead."""
APP = build_api(build(SETTINGS))
DOCUMENT = APP.openapi()
OPERATIONS = [
    (op["operationId"], method.upper(), path)
    for path, methods in DOCUMENT["paths"].items()
    for method, op in methods.items()
]


def expected(operation: str, role: Role, where: str, success: int) -> int:
    policy = POLICY[operation]
    if role not in policy.roles:
        return 403
    if policy.scoped == "division":
        return success if (w.USERS[role].jurisdiction, where) == ("429006", w.IN) else 403
    if policy.scoped == "filer" and role is AGENCY:
        return success
    if policy.scoped in ("object", "filer"):
        return success if where == w.IN or role is Role.AUDITOR else 404
    if policy.scoped == "tip":
        if role is Role.CITIZEN:
            return success if where == w.IN else 404  # their own tip, not another's
        return success if where == w.IN or role in (CITY, Role.AUDITOR) else 404
    return success


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[TestClient, FakeServices]]:
    fakes = FakeServices()
    w.populate(fakes)
    app = build_api(
        build(SETTINGS), transport=httpx.MockTransport(fakes.handle), feeds=CannedFeed()
    )
    with TestClient(app) as client:
        client.event_hooks = {"response": [lambda response: conforms(app, response)]}
        yield client, fakes


def test_every_operation_has_a_rule_and_an_expectation() -> None:
    names = [name for name, _, _ in OPERATIONS]
    assert unruled(DOCUMENT) == []
    assert sorted(names) == sorted(POLICY)


def test_a_route_without_a_rule_is_caught_and_refused_to_everyone() -> None:
    app = build_api(build(SETTINGS))

    @app.get("/api/v1/scratch")
    def scratch() -> dict[str, str]:
        return {"leaked": "yes"}

    app.openapi_schema = None
    assert unruled(app.openapi()) == ["scratch"]
    with TestClient(app) as client:
        for user in w.USERS.values():
            response = client.get("/api/v1/scratch", headers=bearer(app, user))
            assert response.status_code == 403, user.role


@pytest.mark.parametrize(("operation", "method", "template"), OPERATIONS)
def test_each_role_gets_what_the_policy_says_in_and_out_of_scope(
    world: tuple[TestClient, FakeServices], operation: str, method: str, template: str
) -> None:
    client, _ = world
    success = max(int(s) for s in operations(DOCUMENT)[operation]["responses"] if s[0] == "2")
    answers, wanted = {}, {}
    for role, user in w.USERS.items():
        for where in (w.IN, w.OUT):
            path = re.sub(r"\{(\w+)\}", lambda m: w.OBJECTS[where][m[1]], template)  # noqa: B023
            bodies = BODIES.get(operation, {})
            body = bodies.get(where, bodies.get(w.IN))
            sent = SENT.get(operation, {"json": body})
            response = client.request(method, path, **sent, headers=bearer(client.app, user))  # type: ignore[arg-type]
            answers[(role.value, where)] = response.status_code
            wanted[(role.value, where)] = expected(operation, role, where, success)
    assert answers == wanted
