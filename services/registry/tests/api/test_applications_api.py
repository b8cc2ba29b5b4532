"""The online counter over HTTP: attachments, each kind to approval or rejection, timelines,
handling times, overdue sweeps, mortgages and a refused transfer, public verification."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from tianmen_registry.domain.uscc import with_check_character as uscc_of
from tianmen_runtime.service import Service

from .conftest import Clock
from .support import assert_problem, outbox_rows, register_enterprise, register_machine, written

PDF = b"%PDF-1.4\n% a tiny test document\n"
DOCS = {
    "registration": ("purchase_invoice", "certificate_of_conformity"),
    "annual_review": ("inspection_report",),
    "change": ("change_evidence",),
    "transfer": ("transfer_contract",),
    "deregistration": ("deregistration_statement",),
}


def upload(client: TestClient, content: bytes = PDF, media_type: str = "application/pdf") -> str:
    response = client.post("/attachments", content=content, headers={"content-type": media_type})
    assert response.status_code == 201, response.text
    return str(response.json()["attachment_id"])


def apply(
    client: TestClient, kind: str, ent: str, machine: str, request_id: str, **details: Any
) -> dict[str, Any]:
    file_id = upload(client)
    body = {
        "request_id": request_id,
        "kind": kind,
        "enterprise_id": ent,
        "machine_id": machine,
        "attachments": [{"attachment_id": file_id, "type": t} for t in DOCS[kind]],
        "details": details,
    }
    response = client.post("/applications", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def act(client: TestClient, application_id: str, action: str, reason: str = "") -> dict[str, Any]:
    response = client.post(
        f"/applications/{application_id}/{action}", json={"reason": reason, "actor": "clerk-1"}
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def registered_machine(
    client: TestClient, serial: str = "SY0001", ent: str | None = None
) -> tuple[str, str]:
    ent = ent or register_enterprise(client)["enterprise_id"]
    machine = register_machine(client, ent, serial_number=serial)["machine_id"]
    app = apply(client, "registration", ent, machine, f"reg-{serial}")
    act(client, app["application_id"], "accept")
    act(client, app["application_id"], "approve")
    return ent, machine


def test_a_registration_runs_to_approval_with_its_timeline_and_due_time(client: TestClient) -> None:
    ent = register_enterprise(client)["enterprise_id"]
    machine = register_machine(client, ent)["machine_id"]
    app = apply(client, "registration", ent, machine, "r-1")
    assert app["stage"] == "submitted"
    accepted = act(client, app["application_id"], "accept")
    # NOW is Tue 2026-05-12 17:30 China time: due at the end of Thursday the 14th.
    assert datetime.fromisoformat(str(accepted["due_at"])).replace(tzinfo=UTC) == datetime(
        2026, 5, 14, 16, tzinfo=UTC
    )
    done = act(client, app["application_id"], "approve")
    assert [step["stage"] for step in done["timeline"]] == ["submitted", "accepted", "approved"]
    assert done["timeline"][1]["actor"] == "clerk-1"
    view = client.get(f"/machines/{machine}").json()
    assert view["status"] == "registered" and view["registration_number"].startswith("TM2026-")


def test_resubmitting_the_same_request_creates_nothing_twice(
    client: TestClient, service: Service
) -> None:
    ent = register_enterprise(client)["enterprise_id"]
    machine = register_machine(client, ent)["machine_id"]
    first = apply(client, "registration", ent, machine, "r-1")
    before = written(service)
    assert (
        apply(client, "registration", ent, machine, "r-1")["application_id"]
        == first["application_id"]
    )
    assert written(service) == before


def test_a_rejection_names_its_reason_and_leaves_the_machine_pending(client: TestClient) -> None:
    ent = register_enterprise(client)["enterprise_id"]
    machine = register_machine(client, ent)["machine_id"]
    app = apply(client, "registration", ent, machine, "r-1")
    act(client, app["application_id"], "accept")
    done = act(client, app["application_id"], "reject", reason="发票与铭牌不符")
    assert (done["stage"], done["reason"]) == ("rejected", "发票与铭牌不符")
    assert client.get(f"/machines/{machine}").json()["status"] == "pending"


def test_every_kind_reaches_approval(client: TestClient) -> None:
    _, machine = registered_machine(client)
    buyer = register_enterprise(client, uscc_of("91429006MA4F0YYYY"))["enterprise_id"]
    for kind, details in [
        ("annual_review", {}),
        ("change", {"model": "SY215C-9", "jurisdiction_code": "429006107"}),
        ("transfer", {"to_enterprise_id": buyer}),
    ]:
        owner = client.get(f"/machines/{machine}").json()["enterprise_id"]
        app = apply(client, kind, owner, machine, f"{kind}-1", **details)
        act(client, app["application_id"], "accept")
        assert act(client, app["application_id"], "approve")["stage"] == "approved"
    view = client.get(f"/machines/{machine}").json()
    assert (view["enterprise_id"], view["model"], view["jurisdiction_code"]) == (
        buyer,
        "SY215C-9",
        "429006107",
    )
    app = apply(client, "deregistration", buyer, machine, "dereg-1")
    act(client, app["application_id"], "accept")
    act(client, app["application_id"], "approve")
    assert client.get(f"/machines/{machine}").json()["status"] == "deregistered"


def test_a_pledged_machine_cannot_be_transferred_or_pledged_twice(
    client: TestClient, service: Service
) -> None:
    ent, machine = registered_machine(client)
    buyer = register_enterprise(client, uscc_of("91429006MA4F0YYYY"))["enterprise_id"]
    loan = {
        "lender": "天门农商银行",
        "amount_yuan": 800000,
        "starts_on": "2026-05-01",
        "ends_on": "2028-04-30",
    }
    pledged = client.post(f"/machines/{machine}/mortgages", json=loan)
    assert pledged.status_code == 201, pledged.text
    assert_problem(client.post(f"/machines/{machine}/mortgages", json=loan), 409, "machine_id")
    file_id = upload(client)
    body = {
        "request_id": "t-1",
        "kind": "transfer",
        "enterprise_id": ent,
        "machine_id": machine,
        "attachments": [{"attachment_id": file_id, "type": "transfer_contract"}],
        "details": {"to_enterprise_id": buyer},
    }
    before = written(service)
    assert_problem(client.post("/applications", json=body), 409, "machine_id")
    assert written(service) == before
    mortgage_id = pledged.json()["mortgage_id"]
    consent = client.put(
        f"/machines/{machine}/mortgages/{mortgage_id}/consents", json={"to_enterprise_id": buyer}
    )
    assert consent.status_code == 200, consent.text
    assert client.post("/applications", json=body).status_code == 201
    [total] = client.get("/mortgage-stats/totals").json()
    assert (total["lender"], total["loans"], total["amount_yuan"], total["active"]) == (
        "天门农商银行",
        1,
        800000,
        1,
    )
    [mine] = client.get("/mortgages", params={"lender": "天门农商银行"}).json()["items"]
    assert (mine["machine_id"], mine["released"], mine["machine_status"]) == (
        machine,
        False,
        "registered",
    )
    assert client.get("/mortgages", params={"lender": "another bank"}).json()["items"] == []


def test_an_attachment_that_is_not_what_it_claims_is_refused(client: TestClient) -> None:
    response = client.post(
        "/attachments", content=b"MZ\x90\x00", headers={"content-type": "application/pdf"}
    )
    assert_problem(response, 422, "file")
    response = client.post("/attachments", content=PDF, headers={"content-type": "text/html"})
    assert_problem(response, 422, "content-type")


def test_the_overdue_sweep_flags_once_and_by_event_time(client: TestClient, clock: Clock) -> None:
    ent = register_enterprise(client)["enterprise_id"]
    machine = register_machine(client, ent)["machine_id"]
    app = apply(client, "registration", ent, machine, "r-1")
    act(client, app["application_id"], "accept")
    ahead = client.post("/application-sweeps/overdue", json={"as_of": "2026-05-15T00:00:00+08:00"})
    assert_problem(ahead, 422, "as_of")  # the clock still says the 12th: nothing judged early
    clock.now = datetime(2026, 6, 1, tzinfo=UTC)
    early = client.post("/application-sweeps/overdue", json={"as_of": "2026-05-14T23:00:00+08:00"})
    assert early.json() == {"flagged": 0}
    late = client.post("/application-sweeps/overdue", json={"as_of": "2026-05-15T00:00:00+08:00"})
    assert late.json() == {"flagged": 1}
    again = client.post("/application-sweeps/overdue", json={"as_of": "2026-05-20T00:00:00+08:00"})
    assert again.json() == {"flagged": 0}
    assert client.get(f"/applications/{app['application_id']}").json()["overdue"] is True
    assert REGISTRY.get_sample_value("tianmen_registry_applications_overdue_open") == 1
    act(client, app["application_id"], "approve")
    assert REGISTRY.get_sample_value("tianmen_registry_applications_overdue_open") == 0


def test_handling_times_are_averaged_per_kind_and_month(client: TestClient) -> None:
    ent, _ = registered_machine(client, "A1")
    registered_machine(client, "A2", ent)
    [row] = client.get("/application-stats/handling-times").json()
    assert (row["kind"], row["period"], row["decided"]) == ("registration", "2026-05", 2)
    assert row["average_working_days"] == 0 and row["overdue"] == 0


def test_public_verification_shows_status_and_nothing_personal(client: TestClient) -> None:
    ent, machine = registered_machine(client)
    number = client.get(f"/machines/{machine}").json()["registration_number"]
    order = {"suspended": True, "reason": "塔吊限位器失效", "order_id": "SO-1"}
    assert client.put(f"/machines/{machine}/suspension", json=order).status_code == 200
    shown = client.get(f"/verify/{number.lower()}").json()
    assert shown["status"] == "suspended"
    assert ent not in str(shown) and machine not in str(shown)
    assert_problem(client.get("/verify/TM2026-NOSUCH00"), 404, "registration_number")


def test_an_explicit_unbind_says_so(client: TestClient, service: Service) -> None:
    _, machine = registered_machine(client)
    client.put(f"/machines/{machine}/terminal", json={"terminal_id": "13800138000"})
    client.delete(f"/machines/{machine}/terminal", params={"actor": "officer-7"})
    [unbound] = [
        json.loads(row["value"])
        for row in outbox_rows(service)
        if row["headers"]["ce_type"] == "tianmen.registry.terminal_unbound"
    ]
    assert (unbound["reason"], unbound["actor"]) == ("unbound", "officer-7")


def test_unbinding_keeps_the_terminal_history_in_the_machine_file(client: TestClient) -> None:
    ent, machine = registered_machine(client)
    assert (
        client.put(f"/machines/{machine}/terminal", json={"terminal_id": "13800138000"}).status_code
        == 200
    )
    assert client.delete(f"/machines/{machine}/terminal").json()["terminal_id"] is None
    other = register_machine(client, ent, serial_number="SY0002")["machine_id"]
    assert (
        client.put(f"/machines/{other}/terminal", json={"terminal_id": "13800138000"}).status_code
        == 200
    )
    file = client.get(f"/machines/{machine}/file").json()
    assert [(t["terminal_id"], t["action"]) for t in file["terminals"]] == [
        ("13800138000", "bound"),
        ("13800138000", "unbound"),
    ]
    assert [h["type"].rsplit(".", 1)[-1] for h in file["history"]][-2:] == [
        "terminal_bound",
        "terminal_unbound",
    ]


def test_search_filters_by_jurisdiction_tier_status_and_pages(client: TestClient) -> None:
    ent = register_enterprise(client)["enterprise_id"]
    for n, town in enumerate(["429006107", "429006108", "429006100"]):
        body = {
            "enterprise_id": ent,
            "kind": "tower_crane",
            "brand": "中联",
            "model": "TC",
            "serial_number": f"ZL{n}",
            "jurisdiction_code": town,
        }
        assert client.post("/machines", json=body).status_code == 201
    south = client.get(
        "/machines/search", params={"jurisdiction_code": "429006-ST04", "high_risk": True}
    ).json()
    assert sorted(m["jurisdiction_code"] for m in south["items"]) == ["429006107", "429006108"]
    page = client.get("/machines/search", params={"limit": 2}).json()
    rest = client.get("/machines/search", params={"limit": 2, "cursor": page["next_cursor"]}).json()
    assert len(page["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert client.get("/machines/search", params={"status": "registered"}).json()["items"] == []
    assert_problem(
        client.get("/machines/search", params={"jurisdiction_code": "110101"}),
        422,
        "jurisdiction_code",
    )


def test_a_registered_machine_has_a_pdf_certificate_and_a_pending_one_has_none(
    client: TestClient,
) -> None:
    ent, machine = registered_machine(client)
    number = client.get(f"/machines/{machine}").json()["registration_number"]
    pdf = client.get(f"/machines/{machine}/certificate.pdf")
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and number.encode() in pdf.content
    pending = register_machine(client, ent, serial_number="SY0009")["machine_id"]
    assert_problem(client.get(f"/machines/{pending}/certificate.pdf"), 409, "machine_id")


def test_an_annual_review_past_its_due_day_is_flagged_once(
    client: TestClient, clock: Clock
) -> None:
    _, machine = registered_machine(client)
    clock.now = datetime(2027, 6, 1, tzinfo=UTC)
    due = client.get(f"/machines/{machine}").json()["next_review_due"]
    assert due == "2027-05-12"
    on_due_day = {"as_of": "2027-05-12T12:00:00+08:00"}
    assert client.post("/machine-sweeps/annual-review-overdue", json=on_due_day).json() == {
        "flagged": 0
    }
    day_after = {"as_of": "2027-05-13T00:30:00+08:00"}
    assert client.post("/machine-sweeps/annual-review-overdue", json=day_after).json() == {
        "flagged": 1
    }
    assert client.post("/machine-sweeps/annual-review-overdue", json=day_after).json() == {
        "flagged": 0
    }
    history = client.get(f"/machines/{machine}/file").json()["history"]
    assert history[-1]["event"]["due_on"] == "2027-05-12"
