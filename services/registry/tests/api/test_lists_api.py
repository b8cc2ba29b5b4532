"""GET /enterprises and GET /machines: every item once, a page at a time."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tianmen_registry.domain.uscc import with_check_character
from tianmen_runtime.testing import every_page

from .support import assert_problem, register_enterprise, register_machine


def test_machines_of_an_enterprise_page_through_each_once(client: TestClient) -> None:
    ours = register_enterprise(client, with_check_character("91429006MA4F0XX1"))["enterprise_id"]
    theirs = register_enterprise(client, with_check_character("91429006MA4F0XX2"))
    for n in range(5):
        register_machine(client, ours, serial_number=f"OURS{n}")
    register_machine(client, theirs["enterprise_id"], serial_number="THEIRS0")
    listed = every_page(client, "/machines", 2, enterprise_id=ours)
    assert sorted(m["serial_number"] for m in listed) == [f"OURS{n}" for n in range(5)]
    assert len(every_page(client, "/machines", 4)) == 6


def test_enterprises_page_through_each_once(client: TestClient) -> None:
    registered = {
        register_enterprise(client, with_check_character(f"91429006MA4F0XX{n}"))["enterprise_id"]
        for n in range(3)
    }
    listed = every_page(client, "/enterprises", 1)
    assert [e["enterprise_id"] for e in listed] == sorted(registered)


def test_a_cursor_from_nowhere_is_refused_naming_cursor(client: TestClient) -> None:
    assert_problem(client.get("/enterprises", params={"cursor": "eyJ9"}), 422, "cursor")
    assert_problem(client.get("/machines", params={"limit": 0}), 422, "limit")
