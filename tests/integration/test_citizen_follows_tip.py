"""Through the gateway: a citizen follows their tip to "verified" and sees its reward; staff see
its photo only within the tip's jurisdiction."""

from __future__ import annotations

import uuid

import httpx
import pytest
from tianmen_devkit.supervisor import Suite

from tests.integration.helpers import DemoLogin, Vouched, register_enterprise
from tests.integration.test_tips_canary import a_photo

pytestmark = pytest.mark.integration
DUOBAO = {"latitude": 30.665, "longitude": 112.73}
"""多宝镇: a township other than the demo township liaison's (竟陵街道)."""


def as_user(suite: Suite, user: str) -> httpx.Client:
    url = suite.url("gateway")
    return httpx.Client(base_url=f"{url}/api/v1", auth=DemoLogin(url, user), timeout=10)


def tip_with_photo(citizen: httpx.Client) -> tuple[str, str]:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    media = citizen.post("/media", files={"file": ("x.jpg", a_photo())}, headers=key)
    assert media.status_code == 201, media.text
    media_id: str = media.json()["media_id"]
    tip = {
        "category": "unsafe_hoisting",
        "description": "多宝镇塔吊吊钩无防脱装置",
        **DUOBAO,
        "anonymous": True,
        "media_ids": [media_id],
    }
    sent = citizen.post("/tips", json=tip, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert sent.status_code == 201, sent.text
    return sent.json()["tip_id"], media_id


def test_a_township_liaison_outside_the_tips_jurisdiction_cannot_see_its_photo(
    suite: Suite,
) -> None:
    with as_user(suite, "citizen") as citizen, as_user(suite, "city") as city:
        tip_id, media_id = tip_with_photo(citizen)
        assert city.get(f"/tips/{tip_id}/progress").json()["jurisdiction"] == "429006100"
        photo = city.get(f"/tips/{tip_id}/media/{media_id}")
        assert photo.status_code == 200, photo.text
        assert photo.headers["content-type"] == "image/jpeg"
        assert photo.content[:3] == b"\xff\xd8\xff"
        with as_user(suite, "township") as township:
            refused = township.get(f"/tips/{tip_id}/media/{media_id}")
        assert refused.status_code == 404
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.content[:3] != b"\xff\xd8\xff"
        assert citizen.get(f"/tips/{tip_id}/media/{media_id}").status_code == 403


def test_a_citizen_follows_their_tip_to_verified_and_sees_their_reward(suite: Suite) -> None:
    with as_user(suite, "citizen") as citizen, as_user(suite, "city") as city:
        tip_id, _ = tip_with_photo(citizen)
        found = {"enterprise_id": register_enterprise(city), "major_hazard": True}
        for step, body in [
            ("assign", None),
            ("start", None),
            ("verify", found),
        ]:
            answer = city.post(f"/tips/{tip_id}/{step}", json=body)
            assert answer.status_code == 200, (step, answer.text)
        progress = citizen.get(f"/tips/{tip_id}/progress")
        assert progress.status_code == 200, progress.text
        steps = [s["status"] for s in progress.json()["steps"]]
        assert steps == ["submitted", "assigned", "verifying", "verified"]
        assert (progress.json()["reward"], progress.json()["reward_yuan"]) == ("granted", 500)
        rewards = {r["tip_id"]: r for r in citizen.get("/rewards").json()["items"]}
        assert (rewards[tip_id]["amount_yuan"], rewards[tip_id]["state"]) == (500, "granted")
        auth = Vouched(suite.identity_key_file, subject="someone-else", role="citizen")
        with httpx.Client(base_url=suite.url("reports"), auth=auth) as reports:
            theirs = reports.get("/rewards", headers={"X-Reporter-Id": "someone-else"})
        assert tip_id not in {r["tip_id"] for r in theirs.json()["items"]}
