"""Calls to the owning services over one shared httpx client.

A service's success is checked against its contract (the service's own response model) and
answered from the validated model; a success outside the contract is a 502. Its refusals (4xx)
pass through unchanged (status, body, content type). A service that cannot be reached is a 503,
one that does not answer in time a 504, one that fails a 502; each a problem+json naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from fastapi import Response
from pydantic import BaseModel, ValidationError
from tianmen_runtime.logs import correlation_id

Params = Mapping[str, str]
Contract = TypeVar("Contract", bound=BaseModel)


class UpstreamError(Exception):
    def __init__(self, service: str, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.service, self.status, self.title, self.detail = service, status, title, detail


def segment(value: str) -> str:
    """A path segment, percent-encoded so it can never change the path it is put in."""
    return quote(value, safe="")


@dataclass(frozen=True)
class Upstreams:
    client: httpx.AsyncClient
    urls: Mapping[str, str]

    async def call(
        self,
        service: str,
        method: str,
        path: str,
        *,
        content: bytes | None = None,
        params: Params | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        url = self.urls[service].rstrip("/") + path
        sent = {**_context_headers(content), **(headers or {})}
        try:
            response = await self.client.request(
                method, url, content=content, params=params, headers=sent
            )
        except httpx.TimeoutException as exc:
            raise UpstreamError(
                service, 504, "Service timeout", f"{service} did not answer in time"
            ) from exc
        except httpx.TransportError as exc:
            raise UpstreamError(
                service, 503, "Service unavailable", f"{service} is unreachable"
            ) from exc
        if response.status_code >= 500:
            raise _failed(service, response.status_code)
        return response

    async def fetch(
        self, service: str, method: str, path: str, contract: type[BaseModel], **kwargs: Any
    ) -> Response:
        """The service's answer: a success as `contract` validated it, a refusal unchanged."""
        return answer(service, await self.call(service, method, path, **kwargs), contract)


def _context_headers(content: bytes | None) -> dict[str, str]:
    headers = {"accept": "application/json"}
    cid = correlation_id.get()
    if cid:
        headers["x-correlation-id"] = cid
    if content is not None:
        headers["content-type"] = "application/json"
    return headers


def _failed(service: str, status: int) -> UpstreamError:
    if status == 503:
        return UpstreamError(service, 503, "Service unavailable", f"{service} is not ready")
    return UpstreamError(service, 502, "Bad gateway", f"{service} failed (HTTP {status})")


def passthrough(response: httpx.Response) -> Response:
    return Response(
        content=response.content,
        status_code=response.status_code,
        media_type=response.headers.get("content-type"),
    )


def answer(service: str, response: httpx.Response, contract: type[BaseModel]) -> Response:
    if not response.is_success:
        return passthrough(response)
    body = conform(service, response, contract).model_dump_json()
    return Response(body, status_code=response.status_code, media_type="application/json")


def conform(service: str, response: httpx.Response, contract: type[Contract]) -> Contract:
    """The body as `contract`, or a 502 naming the service that broke its own contract."""
    try:
        return contract.model_validate_json(response.content)
    except ValidationError as exc:
        where = ".".join(str(part) for part in exc.errors()[0]["loc"]) or "body"
        detail = f"{service} answered outside its contract {contract.__name__} (at {where})"
        raise UpstreamError(service, 502, "Bad gateway", detail) from exc
