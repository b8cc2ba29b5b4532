"""The gateway against fake services answering through httpx.MockTransport."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
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


def problem(status: int, field: str | None = None) -> httpx.Response:
    body = {"type": "urn:x", "title": "t", "status": status, "detail": "d", "errors": []}
    if field:
        body["errors"] = [{"field": field, "message": "m"}]
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"content-type": "application/problem+json"},
    )


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
        yield client
