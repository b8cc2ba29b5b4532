"""Calls to the owning services over one shared httpx client.

A service's answer below 500 passes through unchanged (status, body, content type). A service
that cannot be reached is a 503, one that does not answer in time a 504, one that fails a 502;
each a problem+json naming the service.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from fastapi import Response
from tianmen_runtime.logs import correlation_id

Params = Mapping[str, str]


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

    async def forward(self, service: str, method: str, path: str, **kwargs: Any) -> Response:
        return passthrough(await self.call(service, method, path, **kwargs))


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


def json_body(service: str, response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UpstreamError(
            service, 502, "Bad gateway", f"{service} answered with no JSON"
        ) from exc
