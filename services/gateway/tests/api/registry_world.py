"""The registry's counter, files, mortgages and sites in the authorisation world: every object
has an in-scope twin (of `e-in`) and an out-of-scope one (of `e-far`)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
from tianmen_events.registry import ApplicationKind, Hours, MachineKind
from tianmen_registry.entrypoints.schemas import (
    ApplicationView,
    ContactsView,
    EnterpriseFile,
    HandlingTime,
    ImportReport,
    MachineFile,
    MaintenanceRecord,
    MortgageTotal,
    MortgageView,
    PermitIssued,
    Pledged,
    PledgeView,
    SiteRegistered,
    SiteView,
    StoredAttachment,
    Swept,
    Verification,
    ZoneDeclared,
)

from . import contracts as c

T = datetime(2026, 5, 11, 9, 0, tzinfo=UTC)
LENDERS = {"e-in": "bank-1", "e-out": "bank-2", "e-far": "bank-2"}
BOX = {
    "type": "Polygon",
    "coordinates": [[[113.1, 30.6], [113.2, 30.6], [113.2, 30.7], [113.1, 30.6]]],
}
OBJECTS = {
    "in": {
        "application_id": "app-in",
        "site_id": "site-in",
        "mortgage_id": "mg-in",
        "registration_number": "TM2026-IN",
    },
    "out": {
        "application_id": "app-far",
        "site_id": "site-far",
        "mortgage_id": "mg-far",
        "registration_number": "TM2026-FAR",
    },
}
SWEEP = {"as_of": "2026-05-20T00:00:00+08:00"}
BODIES: dict[str, dict[str, Any]] = {
    "change_enterprise_details": {"in": {"address": "天门市竟陵街道 1 号"}},
    "change_enterprise_contacts": {"in": {"contacts": []}},
    "set_suspension": {"in": {"suspended": True, "reason": "限位器失效", "order_id": "SO-1"}},
    "record_maintenance": {"in": {"performed_on": "2026-05-01", "kind": "保养", "provider": "x"}},
    "amend_fuel_tank": {"in": {"fuel_tank_litres": 520.0}},
    "pledge_machine": {
        "in": {
            "lender": "bank-1",
            "amount_yuan": 1,
            "starts_on": "2026-05-01",
            "ends_on": "2027-05-01",
        }
    },
    "record_lender_consent": {"in": {"to_enterprise_id": "e-out"}},
    "submit_application": {
        "in": {
            "request_id": "r",
            "kind": "registration",
            "enterprise_id": "e-in",
            "machine_id": "m-in",
        },
        "out": {
            "request_id": "r",
            "kind": "registration",
            "enterprise_id": "e-far",
            "machine_id": "m-far",
        },
    },
    **{
        f"{a}_application": {"in": {"reason": "r"}}
        for a in ("accept", "approve", "reject", "withdraw")
    },
    "sweep_overdue_applications": {"in": SWEEP},
    "sweep_overdue_reviews": {"in": SWEEP},
    "register_site": {
        "in": {"enterprise_id": "e-in", "name": "工地", "boundary": BOX},
        "out": {"enterprise_id": "e-far", "name": "工地", "boundary": BOX},
    },
    "issue_night_work_permit": {
        "in": {
            "hours": {"start": "22:00", "end": "06:00"},
            "valid_from": "2026-05-01T00:00:00+08:00",
            "valid_until": "2026-05-10T00:00:00+08:00",
            "reason": "混凝土连续浇筑",
        }
    },
    "declare_restricted_zone": {
        "in": {"name": "实验小学", "kind": "school", "boundary": BOX, "jurisdiction_code": "429006"}
    },
}


def _body(model: Any) -> dict[str, Any]:
    return c.body(model)


def _suffix(eid: str) -> str:
    return eid.removeprefix("e-")


def mortgage(eid: str) -> MortgageView:
    return MortgageView(
        mortgage_id=f"mg-{_suffix(eid)}",
        machine_id=f"m-{_suffix(eid)}",
        enterprise_id=eid,
        lender=LENDERS[eid],
        amount_yuan=800_000,
        starts_on=date(2026, 5, 1),
        ends_on=date(2028, 4, 30),
        released=False,
    )


def application(eid: str) -> ApplicationView:
    return ApplicationView(
        application_id=f"app-{_suffix(eid)}",
        kind=ApplicationKind.REGISTRATION,
        enterprise_id=eid,
        machine_id=f"m-{_suffix(eid)}",
        jurisdiction_code="429006",
        stage="submitted",
        submitted_at=T,
        accepted_at=None,
        due_at=None,
        due_provisional=False,
        decided_at=None,
        overdue=False,
        reason=None,
        handling_hours=None,
        handling_working_days=None,
        timeline=[],
    )


def site(eid: str) -> SiteView:
    return SiteView(
        site_id=f"site-{_suffix(eid)}",
        enterprise_id=eid,
        name="工地",
        jurisdiction_code="429006",
        boundary=BOX,
        permitted_hours=[Hours(start="06:00", end="22:00")],
    )


def populate(fakes: Any, machine: Any, enterprise: Any, eids: list[str]) -> None:
    r = "registry"
    fakes.answer(r, "GET", "/machines/search", _page([machine(e) for e in eids]))
    pledges = [
        PledgeView(
            **mortgage(e).model_dump(), machine_status="registered", registration_number=None
        )
        for e in eids
    ]
    fakes.answer(r, "GET", "/mortgages", _page([_body(p) for p in pledges]))
    totals = [MortgageTotal(lender="bank-1", year="2026", loans=1, amount_yuan=1, active=1)]
    fakes.answer(r, "GET", "/mortgage-stats/totals", [_body(t) for t in totals])
    fakes.answer(
        r,
        "POST",
        "/attachments",
        _created(StoredAttachment(attachment_id="f-1", media_type="application/pdf")),
    )
    fakes.answer(r, "POST", "/applications", _created(application("e-in")))
    fakes.answer(r, "POST", "/application-sweeps/overdue", _body(Swept(flagged=0)))
    fakes.answer(r, "POST", "/machine-sweeps/annual-review-overdue", _body(Swept(flagged=0)))
    times = [
        HandlingTime(
            kind=ApplicationKind.REGISTRATION,
            period="2026-05",
            decided=1,
            average_working_days=1.0,
            average_hours=20.0,
            overdue=0,
        )
    ]
    fakes.answer(r, "GET", "/application-stats/handling-times", [_body(t) for t in times])
    fakes.answer(
        r,
        "POST",
        "/imports/machines",
        _body(ImportReport(rows=0, created=0, unchanged=0, refused=[])),
    )
    fakes.answer(r, "POST", "/sites", _created(SiteRegistered(site_id="site-in")))
    fakes.answer(r, "POST", "/restricted-zones", _created(ZoneDeclared(zone_id="z-1")))
    for eid in eids:
        _populate_enterprise(fakes, machine(eid), enterprise(eid), eid)


def _populate_enterprise(fakes: Any, m: dict[str, Any], e: dict[str, Any], eid: str) -> None:
    r, at, suffix = "registry", f"/machines/{m['machine_id']}", _suffix(eid)
    fakes.answer(r, "PATCH", f"/enterprises/{eid}", e)
    contacts = _body(ContactsView(enterprise_id=eid, contacts=[]))
    fakes.answer(r, "GET", f"/enterprises/{eid}/contacts", contacts)
    fakes.answer(r, "PUT", f"/enterprises/{eid}/contacts", contacts)
    file = EnterpriseFile.model_validate(
        {"enterprise": e, "machines_by_status": {}, "recent_applications": []}
    )
    fakes.answer(r, "GET", f"/enterprises/{eid}/file", _body(file))
    machine_file = MachineFile.model_validate(
        {"machine": m, "history": [], "terminals": [], "mortgages": [_body(mortgage(eid))]}
    )
    fakes.answer(r, "GET", f"{at}/file", _body(machine_file))
    pdf = httpx.Response(200, content=b"%PDF-1.4\n", headers={"content-type": "application/pdf"})
    fakes.answer(r, "GET", f"{at}/certificate.pdf", pdf)
    for method, rest in (
        ("DELETE", "/terminal"),
        ("PUT", "/suspension"),
        ("PUT", "/fuel-tank"),
        ("DELETE", f"/mortgages/mg-{suffix}"),
        ("PUT", f"/mortgages/mg-{suffix}/consents"),
    ):
        fakes.answer(r, method, f"{at}{rest}", m)
    record = MaintenanceRecord(
        machine_id=m["machine_id"],
        sequence=1,
        performed_on=date(2026, 5, 1),
        kind="保养",
        provider="x",
        note="",
    )
    fakes.answer(r, "POST", f"{at}/maintenance", httpx.Response(201, json=[_body(record)]))
    fakes.answer(
        r,
        "POST",
        f"{at}/mortgages",
        _created(Pledged.model_validate({"mortgage_id": f"mg-{suffix}", "machine": m})),
    )
    app = _body(application(eid))
    fakes.answer(r, "GET", f"/applications/app-{suffix}", app)
    for action in ("accept", "approve", "reject", "withdraw"):
        fakes.answer(r, "POST", f"/applications/app-{suffix}/{action}", app)
    fakes.answer(r, "GET", f"/sites/site-{suffix}", _body(site(eid)))
    fakes.answer(
        r,
        "POST",
        f"/sites/site-{suffix}/night-work-permits",
        _created(PermitIssued(permit_id="p-1")),
    )
    verification = Verification(
        registration_number=f"TM2026-{suffix.upper()}",
        kind=MachineKind.EXCAVATOR,
        brand="三一",
        model="SY215C",
        status="suspended",
        next_review_due=None,
    )
    fakes.answer(r, "GET", f"/verify/TM2026-{suffix.upper()}", _body(verification))


def _page(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"items": items, "next_cursor": None}


def _created(model: Any) -> httpx.Response:
    return httpx.Response(201, json=_body(model))
