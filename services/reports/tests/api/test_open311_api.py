"""An Open311 GeoReport v2 client: service list, post a request (form-encoded), poll status."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from tianmen_reports.adapters.contacts import pseudonym
from tianmen_reports.config import DEV_SECRET
from tianmen_reports.entrypoints.api import build_api
from tianmen_runtime.db import events
from tianmen_runtime.service import Service

from .conftest import NOW

BASE = "/open311/v2"


def test_a_civic_client_lists_services_posts_a_request_and_follows_its_status(
    client: TestClient, service: Service
) -> None:
    services = client.get(f"{BASE}/services.json").json()
    codes = [s["service_code"] for s in services]
    assert "night_work" in codes and "unsafe_hoisting" in codes
    assert all(s["type"] == "realtime" and s["metadata"] is False for s in services)

    form = {
        "service_code": "night_work",
        "lat": "30.6631",
        "long": "113.1661",
        "description": "深夜挖掘机施工",
        "media_url": "https://img.example.cn/1.jpg",
        "first_name": "五",
        "last_name": "王",
        "phone": "13912345678",
    }
    created = client.post(f"{BASE}/requests.json", data=form)
    assert created.status_code == 201, created.text
    [receipt] = created.json()
    request_id = receipt["service_request_id"]
    with service.engine.connect() as conn:
        submitted = json.loads(conn.execute(select(events.c.payload)).scalars().first() or "{}")
    assert submitted["reporter"] == pseudonym(DEV_SECRET.encode(), f"tip:{request_id}")

    [status] = client.get(f"{BASE}/requests/{request_id}.json").json()
    assert (status["status"], status["status_notes"]) == ("open", "submitted")
    assert (status["lat"], status["long"]) == (30.6631, 113.1661)
    assert status["media_url"] == "https://img.example.cn/1.jpg"
    assert "13912345678" not in str(status) and "王" not in str(status)

    client.post(f"/staff/tips/{request_id}/assign", json={"assignee": "s"}).raise_for_status()
    client.post(f"/staff/tips/{request_id}/start", json={"verifier": "s"}).raise_for_status()
    client.post(
        f"/staff/tips/{request_id}/dismiss",
        json={"verifier": "s", "outcome": "out_of_scope", "reason": "属住建部门"},
    )
    [status] = client.get(f"{BASE}/requests/{request_id}.json").json()
    assert (status["status"], status["status_notes"]) == ("closed", "out_of_scope")


def test_a_bad_request_names_the_field(client: TestClient) -> None:
    form = {"service_code": "night_work", "lat": "95", "long": "113.1", "description": "x"}
    response = client.post(f"{BASE}/requests.json", data=form)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lat"
    outside = client.post(f"{BASE}/requests.json", data={**form, "lat": "30.6", "long": "2.35"})
    assert (outside.status_code, outside.json()["errors"][0]["field"]) == (422, "long")
    unknown = client.post(f"{BASE}/requests.json", data={**form, "service_code": "potholes"})
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (422, "service_code")
    assert client.get(f"{BASE}/requests/nope.json").status_code == 404


def test_a_citizen_named_by_the_gateway_owns_their_requests(
    client: TestClient, service: Service
) -> None:
    form = {
        "service_code": "dust_and_noise",
        "lat": "30.66",
        "long": "113.16",
        "description": "扬尘",
    }
    created = client.post(f"{BASE}/requests.json", data=form, headers={"X-Reporter-Id": "c-1"})
    request_id = created.json()[0]["service_request_id"]
    with service.engine.connect() as conn:
        submitted = json.loads(conn.execute(select(events.c.payload)).scalars().first() or "{}")
    assert submitted["reporter"] == pseudonym(DEV_SECRET.encode(), "c-1")

    path = f"{BASE}/requests/{request_id}.json"
    assert client.get(path, headers={"X-Reporter-Id": "c-1"}).status_code == 200
    other = client.get(path, headers={"X-Reporter-Id": "c-2"})
    assert (other.status_code, other.json()["errors"][0]["field"]) == (404, "tip_id")


def test_a_retry_with_the_same_key_is_the_same_request(client: TestClient) -> None:
    form = {"service_code": "night_work", "lat": "30.66", "long": "113.16", "description": "夜间"}
    key = {"Idempotency-Key": "k-311"}
    first = client.post(f"{BASE}/requests.json", data=form, headers=key)
    again = client.post(f"{BASE}/requests.json", data=form, headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()


def test_a_reporter_lists_their_own_requests_newest_first(service: Service) -> None:
    minutes = itertools.count()
    app = build_api(service, clock=lambda: NOW + timedelta(minutes=next(minutes)))
    form = {"service_code": "night_work", "lat": "30.66", "long": "113.16", "description": "夜间"}
    with TestClient(app) as client:
        mine = [
            client.post(f"{BASE}/requests.json", data=form, headers={"X-Reporter-Id": "c-7"})
            for _ in range(3)
        ]
        client.post(f"{BASE}/requests.json", data=form, headers={"X-Reporter-Id": "c-8"})
        client.post(f"{BASE}/requests.json", data=form)  # anonymous: its own reporter
        listed = client.get(f"{BASE}/requests.json", headers={"X-Reporter-Id": "c-7"})
        stranger = client.get(f"{BASE}/requests.json", headers={"X-Reporter-Id": "c-9"})
        nobody = client.get(f"{BASE}/requests.json")
    assert listed.status_code == 200
    ids = [r["service_request_id"] for r in listed.json()]
    assert ids == [r.json()[0]["service_request_id"] for r in reversed(mine)]
    assert all(r["status"] == "open" for r in listed.json())
    assert stranger.json() == []
    assert (nobody.status_code, nobody.json()["errors"][0]["field"]) == (422, "X-Reporter-Id")


def test_a_hidden_description_stays_hidden_on_the_open311_status(client: TestClient) -> None:
    form = {"service_code": "other", "lat": "30.66", "long": "113.16", "description": "辱骂文字"}
    request_id = client.post(f"{BASE}/requests.json", data=form).json()[0]["service_request_id"]
    hidden = client.post(f"/staff/tips/{request_id}/hide", json={"actor": "mod", "reason": "辱骂"})
    assert hidden.status_code == 204, hidden.text
    [status] = client.get(f"{BASE}/requests/{request_id}.json").json()
    assert "辱骂文字" not in status["description"] and "hidden" in status["description"]
