"""Reporter identity: sealed per reporter, revealed only with an audited event, erasable."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from tianmen_reports.adapters.contacts import pseudonym
from tianmen_reports.config import DEV_SECRET, Settings
from tianmen_runtime.db import events, outbox
from tianmen_runtime.service import Service

CANARY_PHONE = "13800138000"
CANARY_NAME = "金丝雀测试人"
CITIZEN = "wx-openid-canary-0001"


def a_tip(**changes: Any) -> dict[str, Any]:
    return {
        "category": "night_work",
        "description": "夜间泵车作业",
        "latitude": 30.66,
        "longitude": 113.16,
        "anonymous": False,
        "contact": {"name": CANARY_NAME, "phone": CANARY_PHONE},
        **changes,
    }


def submit(client: TestClient, **changes: Any) -> str:
    response = client.post("/tips", json=a_tip(**changes), headers={"X-Reporter-Id": CITIZEN})
    assert response.status_code == 201, response.text
    tip_id: str = response.json()["tip_id"]
    return tip_id


def all_stored(service: Service) -> list[dict[str, Any]]:
    with service.engine.connect() as conn:
        return [json.loads(p) for p in conn.execute(select(events.c.payload)).scalars()]


def test_events_carry_the_reporters_pseudonym_not_the_id(
    client: TestClient, service: Service
) -> None:
    submit(client)
    submitted, routed = all_stored(service)
    assert routed["jurisdiction"] == "429006001"
    assert submitted["reporter"] == pseudonym(DEV_SECRET.encode(), CITIZEN)
    with service.engine.connect() as conn:
        text = "".join(r.value.decode() + r.headers for r in conn.execute(select(outbox)))
    assert CITIZEN not in text and CANARY_PHONE not in text and CANARY_NAME not in text


def test_a_reveal_answers_the_contact_and_records_who_asked(
    client: TestClient, service: Service
) -> None:
    tip_id = submit(client)
    response = client.post(
        f"/staff/tips/{tip_id}/reveal", json={"actor": "staff-jingling-07", "reason": "回访核实"}
    )
    assert response.status_code == 200
    assert response.json()["contact"] == {"name": CANARY_NAME, "phone": CANARY_PHONE}
    revealed = all_stored(service)[-1]
    assert (revealed["actor"], revealed["reason"], revealed["tip_id"]) == (
        "staff-jingling-07",
        "回访核实",
        tip_id,
    )
    assert CANARY_PHONE not in json.dumps(revealed, ensure_ascii=False)


def test_erasing_the_reporter_shreds_the_contact_but_keeps_the_tip(
    client: TestClient, service: Service
) -> None:
    tip_id = submit(client)
    reporter = pseudonym(DEV_SECRET.encode(), CITIZEN)
    assert client.delete(f"/staff/reporters/{reporter}").status_code == 204

    gone = client.post(f"/staff/tips/{tip_id}/reveal", json={"actor": "a", "reason": "r"})
    assert gone.status_code == 410
    assert client.get(f"/tips/{tip_id}").status_code == 200
    assert len(all_stored(service)) == 2  # submitted, routed: a refused reveal adds nothing
    assert client.delete(f"/staff/reporters/{reporter}").status_code == 404


def test_an_anonymous_tip_has_nothing_to_reveal(client: TestClient) -> None:
    tip_id = submit(client, anonymous=True, contact=None)
    response = client.post(f"/staff/tips/{tip_id}/reveal", json={"actor": "a", "reason": "r"})
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "tip_id"


def test_a_tip_names_only_media_that_were_uploaded(client: TestClient) -> None:
    response = client.post("/tips", json=a_tip(media_ids=["a" * 32]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "media_ids.0"


def test_the_development_secret_is_refused_in_production() -> None:
    try:
        Settings(environment="production")
    except ValueError as exc:
        assert "PSEUDONYM_SECRET" in str(exc)
    else:
        raise AssertionError("the placeholder secret was accepted in production")
    assert Settings(environment="production", pseudonym_secret="s3cret-from-vault")
