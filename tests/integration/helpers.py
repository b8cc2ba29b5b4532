"""Helpers for the integration tests: unique test data and polling with a deadline."""

from __future__ import annotations

import asyncio
import itertools
import os
import time
import uuid
from collections.abc import Callable, Coroutine, Generator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
from tianmen_registry.domain.uscc import with_check_character
from tianmen_runtime import identity, testing

T = TypeVar("T")
_counter = itertools.count(1)


def unique_digits(length: int) -> str:
    return str(uuid.uuid4().int)[:length].rjust(length, "1")


def new_uscc() -> str:
    """A valid USCC in Tianmen (division 429006) with a unique organization code."""
    org = unique_digits(8)
    return with_check_character(f"91429006{org}X"[:17])


DEMO_PASSWORD = "tianmen-dev"  # the gateway's local default (refused outside dev)
WRITERS = {"/api/v1/telemetry/reports": "platform", "/api/v1/tips": "citizen"}


def demo_user_for(method: str, path: str) -> str:
    """Who calls, as the suite would: an auditor reads everything, city staff register and
    bind, the terminal platform reports, a citizen submits tips."""
    return "auditor" if method == "GET" else WRITERS.get(path, "city")


class DemoLogin(httpx.Auth):
    """Bearer tokens from the gateway's built-in issuer, one login per demo user."""

    requires_response_body = True

    def __init__(self, gateway_url: str, user: str | None = None) -> None:
        self.token_url = f"{gateway_url}/api/v1/auth/token"
        self.tokens: dict[str, str] = {}
        self.user = user

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        user = self.user or demo_user_for(request.method, request.url.path)
        if user not in self.tokens:
            body = {"username": user, "password": DEMO_PASSWORD}
            login = yield httpx.Request("POST", self.token_url, json=body)
            assert login.status_code == 200, login.text
            self.tokens[user] = login.json()["access_token"]
        request.headers["Authorization"] = f"Bearer {self.tokens[user]}"
        yield request


class Vouched(httpx.Auth):
    """A call straight to a service's port, with the identity the gateway would sign for
    `subject` (services refuse calls without it): the tests that bypass the gateway on purpose.
    `key_file`: the suite's `identity_key_file`, or the IDENTITY_KEY_FILE a lone service got."""

    def __init__(self, key_file: Path, subject: str = "integration-test", role: str = "auditor"):
        self.key = identity.private_key(key_file)
        self.who = identity.Actor(subject, role)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        now = datetime.now(UTC)
        request.headers[identity.HEADER] = identity.sign(self.key, self.who, now)
        yield request


def eventually(check: Callable[[], T | None], *, timeout: float = 60, what: str = "") -> T:
    """Poll `check` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; last: {last!r}")


def register_enterprise(gateway: httpx.Client) -> str:
    enterprise = gateway.post(
        "/enterprises",
        json={"uscc": new_uscc(), "name": f"天门工程机械租赁有限公司 {next(_counter)}"},
    )
    assert enterprise.status_code == 201, enterprise.text
    return str(enterprise.json()["enterprise_id"])


def new_machine(enterprise_id: str) -> dict[str, str]:
    """A registration of a machine of the enterprise with a unique serial number."""
    return {
        "enterprise_id": enterprise_id,
        "kind": "excavator",
        "brand": "SANY",
        "model": "SY215C",
        "serial_number": f"SY{unique_digits(10)}",
    }


def bind_new_machine(gateway: httpx.Client, enterprise_id: str) -> dict[str, str]:
    """Register a machine of the enterprise, bind a terminal; wait until telemetry knows it."""
    machine = gateway.post("/machines", json=new_machine(enterprise_id))
    assert machine.status_code == 201, machine.text
    return bind_terminal(gateway, enterprise_id, machine.json()["machine_id"])


def bind_terminal(gateway: httpx.Client, enterprise_id: str, machine_id: str) -> dict[str, str]:
    """Bind a new terminal to the enterprise's machine; wait until telemetry knows it."""
    terminal_id = "1" + unique_digits(11)
    bound = gateway.put(f"/machines/{machine_id}/terminal", json={"terminal_id": terminal_id})
    assert bound.status_code == 200, bound.text
    eventually(
        lambda: gateway.get(f"/terminals/{terminal_id}").status_code == 200,
        what="telemetry to learn the terminal binding",
    )
    return {"enterprise_id": enterprise_id, "machine_id": machine_id, "terminal_id": terminal_id}


def register_bound_machine(gateway: httpx.Client) -> dict[str, str]:
    """A new enterprise with one machine whose terminal telemetry already knows."""
    return bind_new_machine(gateway, register_enterprise(gateway))


NIGHT_REPORT = {
    "reported_at": "2026-05-12T23:30:00+08:00",
    "latitude": 30.6531,
    "longitude": 113.1661,
    "working": True,
    "engine_hours": 1532.5,
    "fuel_level_pct": 61.0,
}


def enterprise_view(gateway: httpx.Client, enterprise_id: str) -> dict[str, Any] | None:
    """The enterprise view once it shows a violation and a credit change, else None."""
    view: dict[str, Any] = gateway.get(f"/enterprises/{enterprise_id}").json()
    scored = view["credit"]["change_count"] and view["safety"]["violation_count"]
    return view if scored else None


def every_page(gateway: httpx.Client, link: str, limit: int = 50) -> list[dict[str, Any]]:
    """Every item of the paged list a view links to (links start with /api/v1)."""
    path, _, query = link.removeprefix("/api/v1").partition("?")
    return testing.every_page(gateway, path, limit, **httpx.QueryParams(query))


def env_with(bootstrap_servers: str) -> dict[str, str]:
    return {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": bootstrap_servers}


REGISTRATION_DOCUMENTS = ("purchase_invoice", "certificate_of_conformity")
PDF = b"%PDF-1.4\n% integration test document\n"


def submit_registration(gateway: httpx.Client, enterprise_id: str) -> dict[str, Any]:
    """A new machine of the enterprise and its registration application, with the documents
    the counter requires: the application as submitted."""
    machine = gateway.post("/machines", json=new_machine(enterprise_id))
    assert machine.status_code == 201, machine.text
    machine_id = machine.json()["machine_id"]
    files = []
    for kind in REGISTRATION_DOCUMENTS:
        upload = gateway.post(
            "/attachments", content=PDF, headers={"content-type": "application/pdf"}
        )
        assert upload.status_code == 201, upload.text
        files.append({"attachment_id": upload.json()["attachment_id"], "type": kind})
    body = {
        "request_id": f"it-{machine_id}",
        "kind": "registration",
        "enterprise_id": enterprise_id,
        "machine_id": machine_id,
        "attachments": files,
    }
    application = gateway.post("/applications", json=body)
    assert application.status_code == 201, application.text
    submitted: dict[str, Any] = application.json()
    return submitted


def run_async(scenario: Callable[[], Coroutine[Any, Any, T]], timeout: float = 180) -> T:
    """`scenario()` run to its end on a thread of its own: a test run before this one (the
    browser tests' Playwright) may leave an event loop running on the main thread, where
    `asyncio.run` refuses to start."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(lambda: asyncio.run(asyncio.wait_for(scenario(), timeout))).result()
