"""Views composed from several services, fetched concurrently."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import httpx
from fastapi import Response
from fastapi.responses import JSONResponse

from tianmen_gateway.adapters.upstream import (
    UpstreamError,
    Upstreams,
    json_body,
    passthrough,
    segment,
)


async def enterprise_overview(upstreams: Upstreams, enterprise_id: str) -> Response:
    """The registry's enterprise with its safety ledger and credit score.

    Safety and credit answer every enterprise id (one never seen has the full initial balance
    and the base score), so any answer but 200 from them is passed through as a failure.
    """
    eid = segment(enterprise_id)
    registry, safety, credit = await _all(
        upstreams.call("registry", "GET", f"/enterprises/{eid}"),
        upstreams.call("safety", "GET", f"/enterprises/{eid}/ledger"),
        upstreams.call("credit", "GET", f"/enterprises/{eid}/score"),
    )
    if registry.status_code != 200:
        return passthrough(registry)
    for response in (safety, credit):
        if response.status_code != 200:
            return passthrough(response)
    parts = {"safety": _object("safety", safety), "credit": _object("credit", credit)}
    return JSONResponse({**_object("registry", registry), **parts})


REPLAYABLE = ("telemetry", "safety", "credit")


async def audit_digests(upstreams: Upstreams) -> Response:
    """The state digests of the services that derive their state from events, side by side."""
    responses = await _all(*(upstreams.call(name, "GET", "/digest") for name in REPLAYABLE))
    for response in responses:
        if response.status_code != 200:
            return passthrough(response)
    return JSONResponse(
        {
            name: _digest(name, response)
            for name, response in zip(REPLAYABLE, responses, strict=True)
        }
    )


def _digest(service: str, response: httpx.Response) -> str:
    digest = _object(service, response).get("digest")
    if not isinstance(digest, str):
        raise UpstreamError(service, 502, "Bad gateway", f"{service} answered without a digest")
    return digest


def _object(service: str, response: httpx.Response) -> dict[str, Any]:
    body = json_body(service, response)
    if not isinstance(body, dict):
        raise UpstreamError(service, 502, "Bad gateway", f"{service} answered with no JSON object")
    return body


async def _all(*calls: Awaitable[httpx.Response]) -> list[httpx.Response]:
    """Await every call; the first failure, in argument order, is the one reported."""
    results = await asyncio.gather(*calls, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return [r for r in results if isinstance(r, httpx.Response)]
