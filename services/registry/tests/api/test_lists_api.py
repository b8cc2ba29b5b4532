"""GET /enterprises and GET /machines: every item once, a page at a time."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from tianmen_registry.domain.uscc import with_check_character

from .support import assert_problem, register_enterprise, register_machine


def _every_page(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = client.get(path, params=params).json()
        assert len(page["items"]) <= params["limit"]
        items += page["items"]
        if page["next_cursor"] is None:
            return items
        params["cursor"] = page["next_cursor"]


def test_machines_of_an_enterprise_page_through_each_once(client: TestClient) -> None:
    ours = register_enterprise(client, with_check_character("91429006MA4F0XX1"))["enterprise_id"]
    theirs = register_enterprise(client, with_check_character("91429006MA4F0XX2"))
    for n in range(5):
        register_machine(client, ours, serial_number=f"OURS{n}")
    register_machine(client, theirs["enterprise_id"], serial_number="THEIRS0")
    listed = _every_page(client, "/machines", enterprise_id=ours, limit=2)
    assert sorted(m["serial_number"] for m in listed) == [f"OURS{n}" for n in range(5)]
    assert len(_every_page(client, "/machines", limit=4)) == 6


def test_enterprises_page_through_each_once(client: TestClient) -> None:
    registered = {
        register_enterprise(client, with_check_character(f"91429006MA4F0XX{n}"))["enterprise_id"]
        for n in range(3)
    }
    listed = _every_page(client, "/enterprises", limit=1)
    assert [e["enterprise_id"] for e in listed] == sorted(registered)


def test_a_cursor_from_nowhere_is_refused_naming_cursor(client: TestClient) -> None:
    assert_problem(client.get("/enterprises", params={"cursor": "eyJ9"}), 422, "cursor")
    assert_problem(client.get("/machines", params={"limit": 0}), 422, "limit")
