"""Two enterprises for the authorisation tests: one inside the demo jurisdictions, one outside.

`e-in` lies in 竟陵街道 (429006001, under the 城区 station 429006-ST01, under the city 429006);
`e-out` in 岳口镇 (429006107, another station's township), `e-far` in another city (420102).
The registry view's `jurisdiction_code` is what scopes staff (the registry's tier table).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from tianmen_gateway.identity.demo_users import DemoUser
from tianmen_gateway.identity.principal import Role
from tianmen_registry.domain.uscc import with_check_character

from . import contracts as c
from . import inspection_world, registry_world, safety_world
from .conftest import FakeServices

DIVISIONS = {"e-in": "429006001", "e-out": "429006107", "e-far": "420102"}
IN, OUT = "in", "out"
OBJECTS = {
    IN: {
        "enterprise_id": "e-in",
        "machine_id": "m-in",
        "terminal_id": "t-in",
        "tip_id": "tip-1",
        "media_id": "photo-1",
        **registry_world.OBJECTS[IN],
        **safety_world.OBJECTS[IN],
        **inspection_world.OBJECTS[IN],
        "repair_id": "rep-1",
        "case_id": "case-in",
        "decision": "confirm",
        "name": "key-supervision",
    },
    OUT: {
        "enterprise_id": "e-far",
        "machine_id": "m-far",
        "terminal_id": "t-far",
        "tip_id": "tip-2",
        "media_id": "photo-1",
        "repair_id": "rep-1",
        **registry_world.OBJECTS[OUT],
        **safety_world.OBJECTS[OUT],
        **inspection_world.OBJECTS[OUT],
        "case_id": "case-far",
        "decision": "confirm",
        "name": "key-supervision",
    },
}
OPEN311 = "/open311/v2"
TIPS_BY = {"tip-1": "citizen", "tip-2": "another-citizen"}
"""Who sent each tip: reports answers a citizen (X-Reporter-Id) their own only."""
TIPS_IN = {"tip-1": DIVISIONS["e-in"], "tip-2": DIVISIONS["e-out"]}
"""Where reports routed each tip: tip-1 in the demo township, tip-2 in another station's."""
TIP_FIGURES = {
    "start": "2026-05-01T00:00:00+08:00",
    "end": "2026-06-01T00:00:00+08:00",
    "as_of": "2026-06-01T00:00:00+08:00",
    "jurisdiction": None,
    "figures": {
        "received": 3,
        "verified": 2,
        "verified_rate": 0.67,
        "major_hazards": 1,
        "average_hours_to_verify": 5.5,
        "rewards_paid": 1,
        "rewards_paid_yuan": 200,
    },
}
"""What reports answers for a period's tip figures."""
PHOTO_BYTES = b"\xff\xd8\xff\xe0 a cleaned photo"
REWARDS = {
    "items": [
        {
            "tip_id": "tip-1",
            "category": "night_work",
            "major_hazard": False,
            "amount_yuan": 50,
            "state": "granted",
            "granted_at": "2026-05-12T10:00:00+08:00",
            "paid_at": None,
        }
    ],
    "granted_yuan": 50,
    "paid_yuan": 0,
}
"""What reports answers a citizen for their rewards."""
USCC_IN = with_check_character("91429006MA4F0X12")
USCC_OUT = with_check_character("91420102MA4F0X12")

USERS = {
    Role.CITY_STAFF: DemoUser("city", Role.CITY_STAFF, "429006"),
    Role.COUNTY_STAFF: DemoUser("station", Role.COUNTY_STAFF, "429006-ST01"),
    Role.TOWNSHIP_STAFF: DemoUser("township", Role.TOWNSHIP_STAFF, "429006001"),
    Role.INSPECTOR: DemoUser("inspector", Role.INSPECTOR, "429006-ST01"),
    Role.TESTING_AGENCY: DemoUser("lab", Role.TESTING_AGENCY, enterprise_id="lab-1"),
    Role.ENTERPRISE: DemoUser("enterprise", Role.ENTERPRISE, enterprise_id="e-in"),
    Role.LENDER: DemoUser("lender", Role.LENDER, enterprise_id="bank-1"),
    Role.CITIZEN: DemoUser("citizen", Role.CITIZEN),
    Role.AUDITOR: DemoUser("auditor", Role.AUDITOR),
    Role.OPERATOR: DemoUser("operator", Role.OPERATOR),
    Role.TERMINAL_PLATFORM: DemoUser("platform", Role.TERMINAL_PLATFORM),
}


def enterprise(eid: str) -> dict[str, Any]:
    division = DIVISIONS[eid][:6]
    return {
        **c.body(c.ENTERPRISE),
        "enterprise_id": eid,
        "division_code": division,
        "jurisdiction_code": DIVISIONS[eid],
    }


def machine(eid: str) -> dict[str, Any]:
    suffix = eid.removeprefix("e-")
    return {**c.body(c.MACHINE), "machine_id": f"m-{suffix}", "enterprise_id": eid}


def terminal(eid: str) -> dict[str, Any]:
    return {**c.body(c.TERMINAL), "terminal_id": f"t-{eid[2:]}", "enterprise_id": eid}


def alert(eid: str) -> dict[str, Any]:
    return {**c.body(c.ALERT), "alert_id": f"a-{eid[2:]}", "enterprise_id": eid}


def case(eid: str) -> dict[str, Any]:
    """A case about `eid`'s machine, in its division."""
    suffix = eid.removeprefix("e-")
    ids = {"case_id": f"case-{suffix}", "enterprise_id": eid, "machine_id": f"m-{suffix}"}
    return {**c.body(c.CASE), **ids, "jurisdiction": DIVISIONS[eid]}


def page(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"items": items, "next_cursor": "bmV4dA"}


def populate(fakes: FakeServices) -> None:
    """Every service answers for every enterprise; only the gateway decides who sees what."""
    ids = list(DIVISIONS)
    fakes.answer("registry", "GET", "/enterprises", page([enterprise(e) for e in ids]))
    fakes.answer("registry", "GET", "/machines", page([machine(e) for e in ids]))
    fakes.answer("telemetry", "GET", "/alerts", page([alert(e) for e in ids]))
    fakes.answer("safety", "GET", "/cases", page([case(e) for e in ids]))
    listed = [{**c.body(c.LISTING), "enterprise_id": e} for e in ids]
    for name in ("key-supervision", "bidding-suspension"):
        fakes.answer("safety", "GET", f"/lists/{name}", page(listed))
    for eid in ids:
        _populate_enterprise(fakes, eid)
    for svc in ("telemetry", "safety", "credit"):
        fakes.answer(svc, "GET", "/digest", {"digest": "0" * 64})
    fakes.answer("registry", "POST", "/enterprises", _status(201, enterprise("e-in")))
    fakes.answer("registry", "POST", "/machines", _status(201, machine("e-in")))
    fakes.answer("telemetry", "POST", "/reports", _status(202, c.body(c.ACCEPTED)))
    fakes.answer("reports", "POST", "/tips", _status(201, c.body(c.RECEIPT)))
    for tip_id, reporter in TIPS_BY.items():
        fakes.answer("reports", "GET", f"/tips/{tip_id}", _tip_of(reporter, _view(tip_id)))
        status = [{**c.body(c.REQUEST_311), "service_request_id": tip_id}]
        fakes.answer(
            "reports", "GET", f"{OPEN311}/requests/{tip_id}.json", _tip_of(reporter, status)
        )
    fakes.answer("reports", "GET", f"{OPEN311}/services.json", [c.body(c.SERVICE_311)])
    fakes.answer("reports", "GET", f"{OPEN311}/requests.json", [c.body(c.REQUEST_311)])
    created = httpx.Response(201, json=[c.body(c.CREATED_311)])
    fakes.answer("reports", "POST", f"{OPEN311}/requests.json", created)
    _populate_tips_queue(fakes)
    fakes.answer("credit", "POST", "/audit/what-if", c.body(c.WHAT_IF))
    fakes.answer("telemetry", "GET", "/terminal-status", c.body(c.TERMINAL_COUNTS))
    fakes.answer("reports", "POST", "/media", _status(201, MEDIA))
    fakes.answer("reports", "GET", "/statistics", TIP_FIGURES)
    fakes.answer("registry", "GET", "/jurisdictions/boundaries", BOUNDARIES)

    registry_world.populate(fakes, machine, enterprise, ids)
    safety_world.populate(fakes, DIVISIONS, page)
    inspection_world.populate(fakes, DIVISIONS, page)


RING = [[113.1, 30.6], [113.2, 30.6], [113.2, 30.7], [113.1, 30.6]]
TOWNSHIP = {"code": "429006001", "name": "竟陵街道", "tier": "township", "parent": "ST01"}
BOUNDARIES = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [RING]},
            "properties": TOWNSHIP,
        }
    ],
}
MEDIA = {"media_id": "m-1", "kind": "photo", "content_type": "image/jpeg", "bytes": 3}


def _populate_enterprise(fakes: FakeServices, eid: str) -> None:
    m, t = machine(eid), terminal(eid)
    fakes.answer("registry", "GET", f"/enterprises/{eid}", enterprise(eid))
    fakes.answer("registry", "GET", f"/machines/{m['machine_id']}", m)
    fakes.answer("registry", "PUT", f"/machines/{m['machine_id']}/terminal", m)
    fakes.answer("telemetry", "GET", f"/terminals/{t['terminal_id']}", t)
    fakes.answer("telemetry", "GET", f"/machines/{m['machine_id']}/track", c.page(c.TRACK_POINT))
    usage = {**c.body(c.MACHINE_USAGE), "machine_id": m["machine_id"]}
    fakes.answer("telemetry", "GET", f"/machines/{m['machine_id']}/usage", usage)
    fakes.answer("telemetry", "GET", f"/enterprises/{eid}/fleet", c.body(c.FLEET))
    fakes.answer("safety", "GET", f"/enterprises/{eid}/ledger", c.body(c.LEDGER))
    fakes.answer("safety", "GET", f"/enterprises/{eid}/violations", c.page(c.VIOLATION))
    fakes.answer("safety", "GET", f"/enterprises/{eid}/deductions", c.page(c.DEDUCTION))
    fakes.answer("safety", "GET", f"/enterprises/{eid}/restorations", c.page(c.RESTORATION))
    found = case(eid)
    fakes.answer("safety", "GET", f"/cases/{found['case_id']}", found)
    decided = {**c.body(c.DECIDED), "case_id": found["case_id"]}
    fakes.answer("safety", "POST", f"/cases/{found['case_id']}/confirm", _status(202, decided))
    fakes.answer("credit", "GET", f"/enterprises/{eid}/score", c.body(c.SCORE))
    fakes.answer("credit", "GET", f"/enterprises/{eid}/history", c.page(c.CHANGE))
    fakes.answer("credit", "GET", f"/audit/enterprises/{eid}/as-of", c.body(c.AS_OF))
    fakes.answer("credit", "GET", f"/enterprises/{eid}/standing", c.body(c.STANDING))
    repairs = f"/enterprises/{eid}/repairs"
    fakes.answer("credit", "POST", repairs, _status(201, c.body(c.REPAIR)))
    fakes.answer("credit", "POST", f"{repairs}/rep-1/decision", c.body(c.REPAIR))
    fakes.answer("credit", "GET", f"{repairs}/rep-1", c.body(c.REPAIR))


def _view(tip_id: str) -> dict[str, Any]:
    return {**c.body(c.TIP), "tip_id": tip_id}


def _tip_of(reporter: str, view: Any) -> Callable[[httpx.Request], Awaitable[httpx.Response]]:
    """Reports' answer on a tip: to a citizen (X-Reporter-Id) only if they sent it."""

    async def answer(request: httpx.Request) -> httpx.Response:
        asker = request.headers.get("x-reporter-id")
        if asker is not None and asker != reporter:
            return FakeServices.problem(404, "tip_id")
        return httpx.Response(200, json=view)

    return answer


def _status(status: int, body: dict[str, Any]) -> httpx.Response:
    return httpx.Response(status, json=body)


def staff_tip(tip_id: str) -> dict[str, Any]:
    where: dict[str, Any] = {"jurisdiction": TIPS_IN[tip_id], "due_at": None, "media_ids": []}
    return {**c.body(c.TIP), "tip_id": tip_id, **where}


def _populate_tips_queue(fakes: FakeServices) -> None:
    fakes.answer("reports", "GET", "/rewards", REWARDS)
    fakes.answer("reports", "GET", "/staff/tips", page([staff_tip(t) for t in TIPS_IN]))
    for tip_id, division in TIPS_IN.items():
        progress: dict[str, Any] = {
            "tip_id": tip_id,
            "status": "submitted",
            "jurisdiction": division,
            "due_at": None,
            "steps": [],
            "merged_into": None,
            "reward": "none",
        }
        fakes.answer(
            "reports", "GET", f"/tips/{tip_id}/progress", _tip_of(TIPS_BY[tip_id], progress)
        )
        photo = httpx.Response(200, content=PHOTO_BYTES, headers={"content-type": "image/jpeg"})
        fakes.answer("reports", "GET", f"/staff/tips/{tip_id}/media/photo-1", photo)
        for step in ("assign", "start", "verify", "dismiss"):
            fakes.answer("reports", "POST", f"/staff/tips/{tip_id}/{step}", progress)
        nearby = {**c.body(c.NEARBY), "machine_id": f"m-near-{tip_id}"}
        fakes.answer("reports", "GET", f"/staff/tips/{tip_id}/evidence", [nearby])
