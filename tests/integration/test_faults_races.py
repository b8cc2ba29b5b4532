"""Concurrent commands on one aggregate: one wins, the other is refused with a 409."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx
import pytest
from tianmen_devkit.supervisor import Suite

from tests.integration.helpers import DemoLogin, new_machine, register_enterprise, unique_digits

pytestmark = pytest.mark.integration


def _at_once(*calls: Callable[[], httpx.Response]) -> list[int]:
    barrier = threading.Barrier(len(calls))
    statuses: list[int] = []

    def run(call: Callable[[], httpx.Response]) -> None:
        barrier.wait()
        statuses.append(call().status_code)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sorted(statuses)


def _client(suite: Suite) -> httpx.Client:
    url = suite.url("gateway")
    return httpx.Client(base_url=f"{url}/api/v1", timeout=15, auth=DemoLogin(url))


def test_two_registrations_of_one_machine_at_once_register_it_once(
    gateway: httpx.Client, suite: Suite
) -> None:
    enterprise_id = register_enterprise(gateway)
    machine = new_machine(enterprise_id)
    with _client(suite) as first, _client(suite) as second:
        statuses = _at_once(
            lambda: first.post("/machines", json=machine),
            lambda: second.post("/machines", json=machine),
        )
    assert statuses == [201, 409]


def test_one_terminal_bound_to_two_machines_at_once_goes_to_one(
    gateway: httpx.Client, suite: Suite
) -> None:
    enterprise_id = register_enterprise(gateway)
    machines = [
        gateway.post("/machines", json=new_machine(enterprise_id)).json()["machine_id"]
        for _ in range(2)
    ]
    terminal = {"terminal_id": "1" + unique_digits(11)}
    with _client(suite) as first, _client(suite) as second:
        statuses = _at_once(
            lambda: first.put(f"/machines/{machines[0]}/terminal", json=terminal),
            lambda: second.put(f"/machines/{machines[1]}/terminal", json=terminal),
        )
    assert statuses == [200, 409]
    holders = [gateway.get(f"/machines/{m}").json().get("terminal_id") for m in machines]
    assert sorted(holders, key=str) == sorted([terminal["terminal_id"], None], key=str)
