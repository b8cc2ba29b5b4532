"""A reporter follows their own tip and sees their rewards; staff see the photos a tip names."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from .test_media_api import a_photo_with_gps, upload
from .test_workflow_api import a_tip

STAFF = "staff-07"


def sent_by(client: TestClient, reporter: str, **changes: Any) -> str:
    headers = {"X-Reporter-Id": reporter}
    response = client.post("/tips", json=a_tip(**changes), headers=headers)
    assert response.status_code == 201, response.text
    tip_id: str = response.json()["tip_id"]
    return tip_id


def verified(client: TestClient, tip_id: str, *, major: bool) -> None:
    found = {"verifier": STAFF, "enterprise_id": "ent-1", "major_hazard": major}
    for step, body in [
        ("assign", {"assignee": STAFF}),
        ("start", {"verifier": STAFF}),
        ("verify", found),
    ]:
        response = client.post(f"/staff/tips/{tip_id}/{step}", json=body)
        assert response.status_code == 200, (step, response.text)


def test_a_reporter_follows_their_own_tip_and_anothers_is_missing(client: TestClient) -> None:
    tip_id = sent_by(client, "c-1")
    verified(client, tip_id, major=True)

    own = client.get(f"/tips/{tip_id}/progress", headers={"X-Reporter-Id": "c-1"})
    assert own.status_code == 200, own.text
    progress = own.json()
    assert [s["status"] for s in progress["steps"]] == [
        "submitted",
        "assigned",
        "verifying",
        "verified",
    ]
    assert (progress["reward"], progress["reward_yuan"]) == ("granted", 500)  # hoisting, major
    assert STAFF not in own.text
    other = client.get(f"/tips/{tip_id}/progress", headers={"X-Reporter-Id": "c-2"})
    assert other.status_code == 404
    assert other.json()["errors"][0]["field"] == "tip_id"


def test_a_reporters_rewards_are_their_verified_tips_only(client: TestClient) -> None:
    major = sent_by(client, "c-1")
    ordinary = sent_by(client, "c-1", category="night_work", latitude=30.70)
    dismissed = sent_by(client, "c-1", category="dust_and_noise", latitude=30.60)
    theirs = sent_by(client, "c-2", category="other", latitude=30.65)
    verified(client, major, major=True)
    verified(client, ordinary, major=False)
    verified(client, theirs, major=False)
    client.post(f"/staff/tips/{dismissed}/assign", json={"assignee": STAFF})
    paid = client.post(f"/staff/tips/{major}/reward/pay", json={"actor": "cashier"})
    assert paid.status_code == 200, paid.text

    answer = client.get("/rewards", headers={"X-Reporter-Id": "c-1"})
    assert answer.status_code == 200, answer.text
    rewards = answer.json()
    by_tip = {r["tip_id"]: (r["amount_yuan"], r["state"]) for r in rewards["items"]}
    assert by_tip == {major: (500, "paid"), ordinary: (50, "granted")}
    assert (rewards["granted_yuan"], rewards["paid_yuan"]) == (550, 500)
    theirs_only = client.get("/rewards", headers={"X-Reporter-Id": "c-2"}).json()
    assert [r["tip_id"] for r in theirs_only["items"]] == [theirs]


def test_rewards_without_a_reporter_are_refused_naming_the_header(client: TestClient) -> None:
    answer = client.get("/rewards")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "X-Reporter-Id"


def test_staff_read_a_photo_the_tip_names_and_no_other_through_it(client: TestClient) -> None:
    named = upload(client, a_photo_with_gps()).json()["media_id"]
    other = upload(client, a_photo_with_gps("PNG")).json()["media_id"]
    tip_id = sent_by(client, "c-1", media_ids=[named])

    photo = client.get(f"/staff/tips/{tip_id}/media/{named}")
    assert photo.status_code == 200
    assert photo.headers["content-type"] == "image/jpeg"
    assert photo.content == client.get(f"/staff/media/{named}").content
    refused = client.get(f"/staff/tips/{tip_id}/media/{other}")
    assert refused.status_code == 404
    assert refused.json()["errors"][0]["field"] == "media_id"
