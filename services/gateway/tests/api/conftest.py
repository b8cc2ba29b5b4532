"""The gateway against fake services answering through httpx.MockTransport."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from tianmen_gateway.bootstrap import build
from tianmen_gateway.config import Settings
from tianmen_gateway.entrypoints.api import build_api
from tianmen_runtime.service import Service

SETTINGS = Settings(
    registry_url="http://registry.test",
    telemetry_url="http://telemetry.test",
    safety_url="http://safety.test",
    credit_url="http://credit.test",
    reports_url="http://reports.test:8105/",
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


@pytest.fixture
def fakes() -> FakeServices:
    return FakeServices()


@pytest.fixture
def service() -> Service:
    return build(SETTINGS)


@pytest.fixture
def gateway(service: Service, fakes: FakeServices) -> Iterator[TestClient]:
    app = build_api(service, transport=httpx.MockTransport(fakes.handle))
    with TestClient(app) as client:
        client.event_hooks = {"response": [lambda response: conforms(app, response)]}
        yield client


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
    schema = {**content[media_type]["schema"], "components": document["components"]}
    Draft202012Validator(schema).validate(response.json())


def _operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any] | None:
    for template, operations in document["paths"].items():
        pattern = re.sub(r"\{[^}]+\}", "[^/]+", template)
        if re.fullmatch(pattern, path) and method.lower() in operations:
            operation: dict[str, Any] = operations[method.lower()]
            return operation
    return None
