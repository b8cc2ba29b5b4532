"""POST /tips and GET /tips/{tip_id} against a temporary SQLite store."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tianmen_events import derive_id
from tianmen_reports.adapters.contacts import contact_for
from tianmen_reports.adapters.orm import reporter_identities as reporter_contacts
from tianmen_runtime.db import events, outbox
from tianmen_runtime.service import Service

PHONE = "13912345678"
NAME = "王五"


def a_tip(**changes: Any) -> dict[str, Any]:
    return {
        "category": "night_work",
        "description": "工地晚上十一点还有泵车作业",
        "latitude": 30.6631,
        "longitude": 113.1661,
        "photo_urls": ["https://img.example.cn/a.jpg"],
        "anonymous": False,
        "contact": {"name": NAME, "phone": PHONE},
        **changes,
    }


def count(service: Service, table: Any) -> int:
    with service.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def stored_text(service: Service) -> str:
    with service.engine.connect() as conn:
        payloads = conn.execute(select(events.c.payload)).scalars().all()
        rows = conn.execute(select(outbox.c.value, outbox.c.headers)).all()
    return "".join(payloads) + "".join(r.value.decode() + r.headers for r in rows)


def test_a_submitted_tip_is_recorded_and_readable(client: TestClient, service: Service) -> None:
    created = client.post("/tips", json=a_tip())
    assert created.status_code == 201
    receipt = created.json()
    assert receipt["status"] == "submitted"
    assert receipt["submitted_at"].startswith("2024-05-01T08:30:00")

    shown = client.get(f"/tips/{receipt['tip_id']}")
    assert shown.status_code == 200
    assert shown.json() == {
        "tip_id": receipt["tip_id"],
        "category": "night_work",
        "description": "工地晚上十一点还有泵车作业",
        "location": {"latitude": 30.6631, "longitude": 113.1661},
        "status": "submitted",
        "submitted_at": receipt["submitted_at"],
    }
    with service.engine.connect() as conn:
        rows = conn.execute(select(events.c.type, events.c.aggregate_id)).all()
    assert [tuple(row) for row in rows] == [
        ("tianmen.reports.tip_submitted", receipt["tip_id"]),
        ("tianmen.reports.tip_routed", receipt["tip_id"]),
    ]
    assert count(service, outbox) == 2


def test_the_contact_is_kept_apart_from_events_outbox_and_the_public_view(
    client: TestClient, service: Service
) -> None:
    tip_id = client.post("/tips", json=a_tip()).json()["tip_id"]
    stored = stored_text(service)
    assert '"has_contact":true' in stored
    assert PHONE not in stored and NAME not in stored
    shown = client.get(f"/tips/{tip_id}").text
    assert PHONE not in shown and NAME not in shown
    with service.engine.connect() as conn:
        row = conn.execute(select(reporter_contacts)).one()
        contact = contact_for(conn, tip_id)
    assert row.tip_id == tip_id
    assert PHONE.encode() not in row.sealed and NAME.encode() not in row.sealed
    assert contact is not None and (contact.name, contact.phone) == (NAME, PHONE)


def test_the_contact_name_is_stored_without_surrounding_spaces(
    client: TestClient, service: Service
) -> None:
    name = "张" * 50
    tip = a_tip(contact={"name": f"  {name}   ", "phone": PHONE})
    tip_id = client.post("/tips", json=tip).json()["tip_id"]
    with service.engine.connect() as conn:
        contact = contact_for(conn, tip_id)
    assert contact is not None and contact.name == name


def test_the_contact_never_reaches_a_log_line(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client.post("/tips", json=a_tip())
    client.post("/tips", json=a_tip(contact={"phone": "12912345678"}))
    assert PHONE not in caplog.text and "12912345678" not in caplog.text


def assert_refused(response: Any, field: str) -> None:
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"latitude": 95.0}, "latitude"),
        ({"longitude": 0.0}, "longitude"),
        ({"description": "   "}, "description"),
        ({"photo_urls": ["ftp://x.cn/a.jpg"]}, "photo_urls.0"),
        ({"photo_urls": ["https://x.cn/a.jpg"] * 10}, "photo_urls"),
        ({"anonymous": True}, "contact"),
        ({"contact": {"phone": "1234"}}, "contact.phone"),
        ({"category": "littering"}, "category"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    client: TestClient, service: Service, changes: dict[str, Any], field: str
) -> None:
    assert_refused(client.post("/tips", json=a_tip(**changes)), field)
    assert (count(service, events), count(service, outbox), count(service, reporter_contacts)) == (
        0,
        0,
        0,
    )


def test_malformed_json_is_a_problem(client: TestClient) -> None:
    response = client.post(
        "/tips", content=b'{"category": ', headers={"content-type": "application/json"}
    )
    assert_refused(response, "body")


def test_a_retry_with_the_same_idempotency_key_returns_the_same_tip_once(
    client: TestClient, service: Service
) -> None:
    headers = {"Idempotency-Key": "app-42-7f3a"}
    first = client.post("/tips", json=a_tip(), headers=headers)
    again = client.post("/tips", json=a_tip(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert first.json()["tip_id"] == derive_id("tip", "app-42-7f3a")
    assert (count(service, events), count(service, outbox), count(service, reporter_contacts)) == (
        2,
        2,
        1,
    )


def test_reusing_an_idempotency_key_for_another_tip_is_refused(
    client: TestClient, service: Service
) -> None:
    headers = {"Idempotency-Key": "k-1"}
    client.post("/tips", json=a_tip(), headers=headers)
    response = client.post("/tips", json=a_tip(description="别的事"), headers=headers)
    assert_refused(response, "Idempotency-Key")
    assert count(service, events) == 2  # the first tip's submitted and routed


def test_without_a_key_each_submit_is_a_new_tip(client: TestClient, service: Service) -> None:
    ids = {client.post("/tips", json=a_tip()).json()["tip_id"] for _ in range(2)}
    assert len(ids) == 2
    assert count(service, events) == 4  # each: submitted, routed


def test_an_unknown_tip_is_not_found(client: TestClient) -> None:
    response = client.get("/tips/no-such-tip")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_the_request_correlation_id_is_recorded_on_the_event(
    client: TestClient, service: Service
) -> None:
    client.post("/tips", json=a_tip(), headers={"X-Correlation-ID": "corr-123"})
    with service.engine.connect() as conn:
        ids = set(conn.execute(select(events.c.correlation_id)).scalars())
    assert ids == {"corr-123"}


def test_a_citizen_reads_their_own_tip_and_anothers_is_missing(client: TestClient) -> None:
    mine = client.post("/tips", json=a_tip(), headers={"X-Reporter-Id": "citizen-a"})
    assert mine.status_code == 201, mine.text
    tip_id = mine.json()["tip_id"]
    assert client.get(f"/tips/{tip_id}", headers={"X-Reporter-Id": "citizen-a"}).status_code == 200
    other = client.get(f"/tips/{tip_id}", headers={"X-Reporter-Id": "citizen-b"})
    assert other.status_code == 404
    assert other.json()["errors"][0]["field"] == "tip_id"
    assert client.get(f"/tips/{tip_id}").status_code == 200  # staff, through the gateway
