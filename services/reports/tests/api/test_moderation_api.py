"""Moderation by pseudonym: abusive text hidden, reporters limited and blocked unknowingly."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from tianmen_reports.adapters.contacts import pseudonym
from tianmen_reports.config import DEV_SECRET
from tianmen_reports.domain.moderation import ModerationRules


def post(client: TestClient, who: str, n: int = 0) -> Any:
    tip = {
        "category": "other",
        "description": f"骂人的话 {n}",
        "latitude": 30.66,
        "longitude": 113.16 + n * 0.01,
        "anonymous": True,
    }
    return client.post("/tips", json=tip, headers={"X-Reporter-Id": who})


def test_hidden_text_is_no_longer_shown_but_the_tip_remains(client: TestClient) -> None:
    tip_id = post(client, "abuser").json()["tip_id"]
    hidden = client.post(f"/staff/tips/{tip_id}/hide", json={"actor": "mod", "reason": "辱骂"})
    assert hidden.status_code == 204
    shown = client.get(f"/tips/{tip_id}").json()
    assert "骂人的话" not in shown["description"] and shown["status"] == "submitted"


def test_a_blocked_pseudonym_cannot_submit_and_others_still_can(client: TestClient) -> None:
    assert post(client, "abuser").status_code == 201
    reporter = pseudonym(DEV_SECRET.encode(), "abuser")
    blocked = client.post(
        f"/staff/reporters/{reporter}/block", json={"actor": "mod", "reason": "反复辱骂"}
    )
    assert blocked.status_code == 204
    refused = post(client, "abuser", 1)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["field"] == "X-Reporter-Id"
    assert post(client, "someone-else", 2).status_code == 201
    bad = client.post("/staff/reporters/not-a-pseudonym/block", json={"actor": "m", "reason": "r"})
    assert bad.status_code == 422


def test_a_reporter_over_the_daily_limit_is_told_to_wait(client: TestClient) -> None:
    limit = ModerationRules().max_tips
    assert all(post(client, "busy", n).status_code == 201 for n in range(limit))
    over = post(client, "busy", limit)
    assert over.status_code == 429
    assert over.json()["errors"][0]["field"] == "X-Reporter-Id"
