"""The staff tips queue: open tips oldest first, by state, paged, never the reporter."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

CITIZEN = "wx-openid-queue-0001"


def submit(client: TestClient, description: str) -> str:
    tip = {
        "category": "night_work",
        "description": description,
        "latitude": 30.6631,
        "longitude": 113.1661,
        "anonymous": False,
        "contact": {"name": "排队测试人", "phone": "13800138001"},
    }
    response = client.post("/tips", json=tip, headers={"X-Reporter-Id": CITIZEN})
    assert response.status_code == 201, response.text
    tip_id: str = response.json()["tip_id"]
    return tip_id


def queue(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/staff/tips", params=params)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def test_the_queue_lists_open_tips_with_where_they_lie_and_never_the_reporter(
    client: TestClient,
) -> None:
    first, second = submit(client, "夜间泵车一"), submit(client, "夜间泵车二")
    dismissed = submit(client, "夜间泵车三")
    dismiss = {"verifier": "s", "outcome": "unfounded", "reason": "现场无施工"}
    for step, body in [("assign", {"assignee": "s"}), ("start", {"verifier": "s"})]:
        assert client.post(f"/staff/tips/{dismissed}/{step}", json=body).status_code == 200
    assert client.post(f"/staff/tips/{dismissed}/dismiss", json=dismiss).status_code == 200
    assert client.post(f"/staff/tips/{first}/assign", json={"assignee": "s"}).status_code == 200

    page = queue(client)
    assert {tip["tip_id"] for tip in page["items"]} == {first, second}
    shown = {tip["tip_id"]: tip for tip in page["items"]}
    assert shown[first]["status"] == "assigned" and shown[second]["status"] == "submitted"
    assert shown[second]["jurisdiction"] == "429006001"
    assert shown[second]["due_at"] is not None
    assert CITIZEN not in str(page) and "13800138001" not in str(page)
    assert [t["tip_id"] for t in queue(client, status="unfounded")["items"]] == [dismissed]


def test_the_queue_pages_without_skipping_or_repeating(client: TestClient) -> None:
    submitted = {submit(client, f"夜间泵车{n}") for n in range(5)}
    seen: list[str] = []
    page = queue(client, limit=2)
    while True:
        seen += [tip["tip_id"] for tip in page["items"]]
        if not page["next_cursor"]:
            break
        page = queue(client, limit=2, cursor=page["next_cursor"])
    assert sorted(seen) == sorted(submitted) and len(seen) == 5


def test_an_unknown_state_or_cursor_is_422_naming_the_field(client: TestClient) -> None:
    bad_state = client.get("/staff/tips", params={"status": "lost"})
    bad_cursor = client.get("/staff/tips", params={"cursor": "not-ours"})
    assert bad_state.status_code == 422 and "status" in bad_state.text
    assert bad_cursor.status_code == 422 and "cursor" in bad_cursor.text
