"""The safety service stopped while the suite runs: the gateway's routes that need it answer 503
with `Retry-After` at once (never 500, never a hang), the routes that do not need it keep
answering, and once safety is back (restarted as `make run` does) the same reads succeed."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable

import httpx
import pytest
from tianmen_devkit.supervisor import Suite

from tests.integration.faults import supervising
from tests.integration.helpers import eventually, register_enterprise

pytestmark = pytest.mark.integration
GATEWAY_TIMEOUT_S = 10  # UPSTREAM_TIMEOUT_S: the longest the gateway may take to give up


def _stop(suite: Suite, service: str) -> None:
    process = suite.processes[service]
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(30)


def _answers(gateway: httpx.Client, path: str) -> Callable[[], bool]:
    return lambda: gateway.get(path).status_code == 200


def test_reads_that_need_a_stopped_service_are_503_until_it_is_back(
    gateway: httpx.Client, suite: Suite
) -> None:
    enterprise_id = register_enterprise(gateway)
    needs_safety = [f"/enterprises/{enterprise_id}/safety", f"/enterprises/{enterprise_id}"]
    for path in needs_safety:
        assert gateway.get(path).status_code == 200
    _stop(suite, "safety")
    for path in needs_safety:
        started = time.monotonic()
        down = gateway.get(path)
        answered_in = time.monotonic() - started
        assert down.status_code == 503, down.text
        assert answered_in < GATEWAY_TIMEOUT_S
        assert down.headers["content-type"] == "application/problem+json"
        assert int(down.headers["retry-after"]) > 0
        assert down.json()["service"] == "safety"
    assert gateway.get(f"/enterprises/{enterprise_id}/credit").status_code == 200  # not safety
    with supervising(suite):  # restarted with backoff, as `make run` does
        for path in needs_safety:
            assert eventually(_answers(gateway, path), timeout=120, what=f"{path} once it is back")
    suite.wait_ready(timeout=60, only=("safety",))
