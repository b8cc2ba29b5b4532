"""Work sites with shapely-checked boundaries, night-work permits, restricted zones, maintenance."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from tianmen_runtime.service import Service

from .support import assert_problem, outbox_rows, register_enterprise, register_machine, written


def box(lon: float, lat: float, half: float = 0.002) -> dict[str, Any]:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def test_a_site_in_yuekou_belongs_to_yuekou_and_is_published(
    client: TestClient, service: Service
) -> None:
    ent = register_enterprise(client)["enterprise_id"]
    body = {"enterprise_id": ent, "name": "岳口汉江大桥项目部", "boundary": box(113.10, 30.53)}
    response = client.post("/sites", json=body)
    assert response.status_code == 201, response.text
    row = outbox_rows(service)[-1]
    assert (row["topic"], row["key"]) == ("registry.site", response.json()["site_id"].encode())
    assert b'"jurisdiction_code":"429006107"' in row["value"]
    site = client.get(f"/sites/{response.json()['site_id']}").json()
    assert (site["enterprise_id"], site["jurisdiction_code"]) == (ent, "429006107")
    assert client.get("/sites/no-such-site").status_code == 404


def test_a_self_intersecting_boundary_is_refused_and_nothing_is_written(
    client: TestClient, service: Service
) -> None:
    ent = register_enterprise(client)["enterprise_id"]
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[113.1, 30.5], [113.2, 30.6], [113.2, 30.5], [113.1, 30.6], [113.1, 30.5]]
        ],
    }
    before = written(service)
    body = assert_problem(
        client.post("/sites", json={"enterprise_id": ent, "name": "x", "boundary": bowtie}),
        422,
        "boundary",
    )
    assert "Self-intersection" in body["detail"]
    assert written(service) == before


def test_a_night_permit_must_end_after_it_starts_and_within_90_days(client: TestClient) -> None:
    ent = register_enterprise(client)["enterprise_id"]
    site = client.post(
        "/sites", json={"enterprise_id": ent, "name": "竟陵地块", "boundary": box(113.165, 30.655)}
    ).json()["site_id"]
    permit = {
        "hours": {"start": "22:00", "end": "06:00"},
        "valid_from": "2026-05-12T00:00:00+08:00",
        "reason": "混凝土连续浇筑",
    }
    ok = client.post(
        f"/sites/{site}/night-work-permits",
        json={**permit, "valid_until": "2026-05-20T00:00:00+08:00"},
    )
    assert ok.status_code == 201, ok.text
    too_long = {**permit, "valid_until": "2026-12-31T00:00:00+08:00"}
    assert_problem(
        client.post(f"/sites/{site}/night-work-permits", json=too_long), 422, "valid_until"
    )
    assert_problem(
        client.post(
            "/sites/nope/night-work-permits",
            json={**permit, "valid_until": "2026-05-20T00:00:00+08:00"},
        ),
        404,
        "site_id",
    )


def test_restricted_zone_and_maintenance_records(client: TestClient) -> None:
    zone = {
        "name": "竟陵小学",
        "kind": "school",
        "boundary": box(113.16, 30.66),
        "jurisdiction_code": "429006001",
    }
    assert client.post("/restricted-zones", json=zone).status_code == 201
    machine = register_machine(client, register_enterprise(client)["enterprise_id"])["machine_id"]
    record = {"performed_on": "2026-05-10", "kind": "routine", "provider": "三一天门服务站"}
    [saved] = client.post(f"/machines/{machine}/maintenance", json=record).json()
    assert (saved["kind"], saved["provider"]) == ("routine", "三一天门服务站")
    assert_problem(client.post("/machines/nope/maintenance", json=record), 404, "machine_id")
