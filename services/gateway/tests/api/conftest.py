"""The gateway against fake services answering through httpx.MockTransport."""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from tianmen_gateway.adapters.alert_feed import Position, Raised
from tianmen_gateway.bootstrap import build
from tianmen_gateway.config import Settings
from tianmen_gateway.entrypoints.api import build_api
from tianmen_gateway.identity.demo_users import DemoUser
from tianmen_gateway.identity.principal import Role
from tianmen_runtime.service import Service

SETTINGS = Settings(
    registry_url="http://registry.test",
    telemetry_url="http://telemetry.test",
    safety_url="http://safety.test",
    credit_url="http://credit.test",
    reports_url="http://reports.test:8105/",
    auth_key_file=None,
    database_url=f"sqlite:///{tempfile.mkdtemp(prefix='tianmen-gateway-')}/gateway.db",
    alert_stream_max_s=0.3,
)
Answer = httpx.Response | Exception | Callable[[httpx.Request], Awaitable[httpx.Response]]


@dataclass
class FakeServices:
    """Answers by (service, method, path); records every request it was sent."""

    answers: dict[tuple[str, str, str], Answer] = field(default_factory=dict)
    down: set[str] = field(default_factory=set)
    seen: list[httpx.Request] = field(default_factory=list)

    def answer(self, service: str, method: str, path: str, answer: Answer | Any) -> None:
        if not isinstance(answer, httpx.Response | Exception) and not callable(answer):
            answer = httpx.Response(200, json=answer)
        self.answers[(service, method, path)] = answer

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        service = request.url.host.removesuffix(".test")
        if service in self.down:
            raise httpx.ConnectError("connection refused", request=request)
        answer = self.answers.get((service, request.method, request.url.path), self.problem(404))
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        return await answer(request)

    @staticmethod
    def problem(status: int, field: str | None = None) -> httpx.Response:
        errors = [{"field": field, "message": "m"}] if field else []
        body = {"type": "urn:x", "title": "t", "status": status, "detail": "d", "errors": errors}
        return httpx.Response(
            status,
            content=json.dumps(body).encode(),
            headers={"content-type": "application/problem+json"},
        )

    def requests_to(self, service: str) -> list[httpx.Request]:
        return [r for r in self.seen if r.url.host == f"{service}.test"]


@dataclass
class CannedFeed:
    """An alert feed that hands out `alerts` once, from where the client resumes, then waits."""

    alerts: list[Raised] = field(default_factory=list)
    starts: list[Position | None] = field(default_factory=list)
    closed: int = 0

    def __call__(self, start: Position | None) -> CannedFeed:
        self.starts.append(start)
        return self

    def read(self) -> list[Raised]:
        time.sleep(0.02)
        given, self.alerts = self.alerts, []
        return given

    def close(self) -> None:
        self.closed += 1


@pytest.fixture
def fakes() -> FakeServices:
    return FakeServices()


@pytest.fixture
def service(tmp_path: Path) -> Service:
    return build(SETTINGS.model_copy(update={"database_url": f"sqlite:///{tmp_path}/gw.db"}))


@pytest.fixture
def gateway(service: Service, fakes: FakeServices) -> Iterator[TestClient]:
    app = build_api(service, transport=httpx.MockTransport(fakes.handle), feeds=CannedFeed())
    with TestClient(app) as client:
        client.event_hooks = {
            "request": [lambda request: authenticate_as_default(app, request)],
            "response": [lambda response: conforms(app, response)],
        }
        yield client


def token(app: FastAPI, user: DemoUser) -> str:
    issuer = app.state.identity.issuer
    assert issuer is not None
    return str(issuer.token_for(user, datetime.now(UTC)))


def bearer(app: FastAPI, user: DemoUser) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(app, user)}"}


DEFAULT_WRITERS = {
    "/api/v1/telemetry/reports": DemoUser("platform", Role.TERMINAL_PLATFORM),
    "/api/v1/tips": DemoUser("citizen", Role.CITIZEN),
    "/api/v1/media": DemoUser("citizen", Role.CITIZEN),
}
CITY_STAFF = DemoUser("city", Role.CITY_STAFF, "429006")
AUDITOR = DemoUser("auditor", Role.AUDITOR)


def authenticate_as_default(app: FastAPI, request: httpx.Request) -> None:
    """Unless a test says who calls: an auditor reads, city staff write, the ingest platform
    reports, a citizen submits tips (the tests of identity and scope say who, explicitly)."""
    if "authorization" in request.headers:
        return
    writer = DEFAULT_WRITERS.get(request.url.path, CITY_STAFF)
    user = AUDITOR if request.method == "GET" else writer
    request.headers["authorization"] = f"Bearer {token(app, user)}"


def conforms(app: FastAPI, response: httpx.Response) -> None:
    """Every answer of the public API is one its OpenAPI document declares: that status, that
    media type, a body valid against that schema (a success's model, or Problem)."""
    response.read()
    document = app.openapi()
    operation = _operation(document, response.request.method, response.request.url.path)
    if operation is None:
        return  # not part of the published API: /healthz, /docs, the landing page
    status = str(response.status_code)
    assert status in operation["responses"], (response.request.url.path, status)
    media_type = response.headers["content-type"].split(";")[0]
    content = operation["responses"][status]["content"]
    assert media_type in content, (response.request.url.path, status, media_type)
    if not (media_type == "application/json" or media_type.endswith("+json")):
        return  # a document (the certificate PDF): its media type is what is declared
    schema = {**content[media_type]["schema"], "components": document["components"]}
    Draft202012Validator(schema).validate(response.json())


def _operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any] | None:
    for template, operations in document["paths"].items():
        pattern = re.sub(r"\{[^}]+\}", "[^/]+", template)
        if re.fullmatch(pattern, path) and method.lower() in operations:
            operation: dict[str, Any] = operations[method.lower()]
            return operation
    return None


@pytest.fixture
def world(fakes: FakeServices) -> Iterator[TestClient]:
    """The gateway over the authorisation world (`world.py`): every caller names themselves."""
    from . import world as w  # world.py builds on this module

    w.populate(fakes)
    app = build_api(build(SETTINGS), transport=httpx.MockTransport(fakes.handle))
    with TestClient(app) as client:
        client.event_hooks = {"response": [lambda response: conforms(app, response)]}
        yield client


def as_(client: TestClient, user: DemoUser) -> dict[str, str]:
    return bearer(client.app, user)  # type: ignore[arg-type]
