"""Views composed from several services, fetched concurrently and checked against contracts.

A composed view is as current as its stalest part: it carries the largest `X-Consumer-Lag` of
the services it composed and their oldest `X-Lag-Measured-At` ("unknown" if any part's is).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from datetime import datetime

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
    return _json(view, (registry, safety, credit))


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
    return _json(Digests(**digests), responses)


def _json(view: Digests | EnterpriseOverview, parts: Sequence[httpx.Response]) -> Response:
    answer = Response(view.model_dump_json(), media_type="application/json")
    answer.headers.update(stalest(parts))
    return answer


def stalest(parts: Sequence[httpx.Response]) -> dict[str, str]:
    """The freshness headers of the stalest part; none if no part derives its data."""
    lags = [r.headers["x-consumer-lag"] for r in parts if "x-consumer-lag" in r.headers]
    if not lags:
        return {}
    if not all(lag.isdigit() for lag in lags):
        return {"x-consumer-lag": "unknown"}
    found = {"x-consumer-lag": str(max(int(lag) for lag in lags))}
    measured = [r.headers["x-lag-measured-at"] for r in parts if "x-lag-measured-at" in r.headers]
    if measured:
        found["x-lag-measured-at"] = min(measured, key=datetime.fromisoformat)
    return found


async def _all(*calls: Awaitable[httpx.Response]) -> list[httpx.Response]:
    """Await every call; the first failure, in argument order, is the one reported."""
    results = await asyncio.gather(*calls, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return [r for r in results if isinstance(r, httpx.Response)]
