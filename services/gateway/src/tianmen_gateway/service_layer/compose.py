"""Views composed from several services, fetched concurrently and checked against contracts."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

import httpx
from fastapi import Response
from tianmen_credit.entrypoints.schemas import ScoreView
from tianmen_registry.entrypoints.schemas import EnterpriseView
from tianmen_runtime.http import StateDigest
from tianmen_safety.entrypoints.schemas import LedgerView

from tianmen_gateway.adapters.upstream import Upstreams, conform, passthrough, segment
from tianmen_gateway.entrypoints.schemas.composed import (
    Digests,
    EnterpriseLinks,
    EnterpriseOverview,
)


async def enterprise_overview(upstreams: Upstreams, enterprise_id: str) -> Response:
    """The registry's enterprise with its safety and credit summaries and links to the lists.

    Safety and credit answer every enterprise id (one never seen has the full initial balance
    and the base score), so any answer but 200 from them is passed through as a failure.
    """
    eid = segment(enterprise_id)
    registry, safety, credit = await _all(
        upstreams.call("registry", "GET", f"/enterprises/{eid}"),
        upstreams.call("safety", "GET", f"/enterprises/{eid}/ledger"),
        upstreams.call("credit", "GET", f"/enterprises/{eid}/score"),
    )
    for response in (registry, safety, credit):
        if response.status_code != 200:
            return passthrough(response)
    view = EnterpriseOverview(
        **conform("registry", registry, EnterpriseView).model_dump(),
        safety=conform("safety", safety, LedgerView),
        credit=conform("credit", credit, ScoreView),
        links=EnterpriseLinks.of(enterprise_id),
    )
    return _json(view)


REPLAYABLE = ("telemetry", "safety", "credit")


async def audit_digests(upstreams: Upstreams) -> Response:
    """The state digests of the services that derive their state from events, side by side."""
    responses = await _all(*(upstreams.call(name, "GET", "/digest") for name in REPLAYABLE))
    for response in responses:
        if response.status_code != 200:
            return passthrough(response)
    digests = {
        name: conform(name, response, StateDigest).digest
        for name, response in zip(REPLAYABLE, responses, strict=True)
    }
    return _json(Digests(**digests))


def _json(view: Digests | EnterpriseOverview) -> Response:
    return Response(view.model_dump_json(), media_type="application/json")


async def _all(*calls: Awaitable[httpx.Response]) -> list[httpx.Response]:
    """Await every call; the first failure, in argument order, is the one reported."""
    results = await asyncio.gather(*calls, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return [r for r in results if isinstance(r, httpx.Response)]
