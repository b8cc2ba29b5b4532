"""kill -9 of each consumer at random points under load: nothing lost, nothing applied twice.

While night reports of an enterprise's machines flow in (each retried on 503/504 until it is
accepted, as the API tells a client to), telemetry, safety and credit are SIGKILLed at random
moments, and the supervisor of `make run` brings each back. Once every consumer group has
drained, each machine has exactly one violation, and the live digests equal a replay from
offset 0. The fault timing is seeded and the seed printed (TIANMEN_FAULT_SEED repeats a run).
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time

import httpx
import pytest
from tianmen_devkit.supervisor import Suite, _ready

from tests.integration.drain import wait_until_drained
from tests.integration.faults import FULL, seeded_rng, supervising
from tests.integration.helpers import (
    NIGHT_REPORT,
    bind_new_machine,
    every_page,
    register_enterprise,
)
from tests.integration.test_enforcement_chain import _replayed_digest

pytestmark = pytest.mark.integration
CONSUMERS = ("telemetry", "safety", "credit")
MACHINES = 16 if FULL else 6
KILLS = 9 if FULL else 3


def _post_until_accepted(gateway: httpx.Client, report: dict[str, object]) -> int:
    """Send the report until it is accepted; returns how many answers were not a 202."""
    refused = 0
    while True:
        try:
            status = gateway.post("/telemetry/reports", json={"reports": [report]}).status_code
        except httpx.TransportError:
            status = 0
        if status == 202:
            return refused
        assert status in (0, 503, 504), status  # unavailable: retrying is safe
        refused += 1
        time.sleep(0.5)


def _load(gateway: httpx.Client, terminals: list[str], rng: random.Random) -> list[int]:
    refusals = []
    for minute, terminal in enumerate(terminals):
        report = {
            **NIGHT_REPORT,
            "terminal_id": terminal,
            "reported_at": f"2026-05-15T23:{minute:02d}:00+08:00",
        }
        refusals.append(_post_until_accepted(gateway, report))
        time.sleep(rng.uniform(0.05, 0.6))
    return refusals


def _kill_and_wait_back(suite: Suite, service: str, timeout: float = 60) -> None:
    killed = suite.processes[service].pid
    os.killpg(killed, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    while not (suite.processes[service].pid != killed and _ready(suite.url(service))):
        assert time.monotonic() < deadline, f"{service} not back within {timeout}s"
        time.sleep(0.2)


def test_consumers_killed_at_random_under_load_apply_every_input_once(
    gateway: httpx.Client, suite: Suite, bootstrap_servers: str
) -> None:
    rng = seeded_rng("kill -9 under load")
    enterprise_id = register_enterprise(gateway)
    terminals = [bind_new_machine(gateway, enterprise_id)["terminal_id"] for _ in range(MACHINES)]
    victims = [CONSUMERS[n % len(CONSUMERS)] for n in range(KILLS)]
    rng.shuffle(victims)
    refusals: list[int] = []
    load = threading.Thread(target=lambda: refusals.extend(_load(gateway, terminals, rng)))
    with supervising(suite):
        load.start()
        for victim in victims:
            time.sleep(rng.uniform(0.1, 1.5))
            _kill_and_wait_back(suite, victim)
        load.join(300)
        assert not load.is_alive()
        suite.wait_ready(timeout=60)
        wait_until_drained(suite, timeout=180)

    print(f"kills: {victims}; reports answered 503/504 before acceptance: {sum(refusals)}")
    view = gateway.get(f"/enterprises/{enterprise_id}").json()
    violations = every_page(gateway, view["links"]["violations"])
    assert len(violations) == MACHINES
    assert len({v["machine_id"] for v in violations}) == MACHINES
    assert view["safety"]["balance"] == view["safety"]["initial_points"] - 5 * MACHINES
    digests = gateway.get("/audit/digests").json()
    for service in CONSUMERS:
        assert digests[service] == _replayed_digest(service, bootstrap_servers), service
