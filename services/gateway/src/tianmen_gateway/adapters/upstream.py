"""Calls to the owning services over one shared httpx client, on aiohttp's transport (its C
HTTP parser and connection pool cost a third less CPU per call than httpcore's: decision 58).

A service's success is checked against its contract (the service's own response model) and
answered from the validated model; a success outside the contract is a 502. Its refusals (4xx)
pass through unchanged (status, body, content type). Either way the answer keeps how current
the service's data is (`X-Consumer-Lag`). A service that cannot be reached or is not ready is a
503, one that does not answer in time a 504, one that fails a 502; each a problem+json naming
the service, 503 and 504 with `Retry-After`. Each says what is known of a command: not
delivered (nothing written), refused by a service not ready (nothing written), or unanswered
(it may have been applied, and retrying it is safe: see docs/decisions.md, timeouts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote

import aiohttp
import httpx
from cachetools import TTLCache
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import Response
from httpx_aiohttp import AiohttpTransport
from pydantic import BaseModel, ValidationError
from tianmen_runtime import identity
from tianmen_runtime.logs import correlation_id

Params = Mapping[str, str]
Contract = TypeVar("Contract", bound=BaseModel)


RETRY_AFTER_S = 5
VOUCH_REUSE_S = identity.LIFETIME.total_seconds() / 2
"""A signed identity is reused for half its 60 s life: every call it goes on has 30 s or more
left, three times the longest a call may take (`UPSTREAM_TIMEOUT_S`)."""
FRESHNESS_HEADERS = ("x-consumer-lag", "x-lag-measured-at")
PUBLIC = identity.Actor("anonymous", "public")
MAYBE_APPLIED = (
    "; it may still have been applied: retrying the same request is safe "
    "(an applied command is refused as a duplicate, reports are idempotent by report id)"
)


class UpstreamError(Exception):
    def __init__(
        self, service: str, status: int, title: str, detail: str, retry_after: int | None = None
    ) -> None:
        super().__init__(detail)
        self.service, self.status, self.title, self.detail = service, status, title, detail
        self.retry_after = retry_after


def segment(value: str) -> str:
    """A path segment, percent-encoded so it can never change the path it is put in."""
    return quote(value, safe="")


@dataclass(frozen=True)
class Upstreams:
    client: httpx.AsyncClient
    urls: Mapping[str, str]
    identity_key: ec.EllipticCurvePrivateKey | None = None
    """Signs the caller's identity onto every call (services refuse calls without it)."""
    vouches: TTLCache[identity.Actor, str] = field(
        default_factory=lambda: TTLCache(10_000, VOUCH_REUSE_S)
    )
    """Each caller's signed identity, reused while young (signing is ES256, per caller not per
    call). Used on the event loop only."""

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
        sent = {**_context_headers(content), **self._vouch(), **(headers or {})}
        try:
            response = await self.client.request(
                method, url, content=content, params=params, headers=sent
            )
        except httpx.TransportError as exc:
            raise _transport_failure(service, method, exc) from exc
        if response.status_code >= 500:
            raise _failed(service, response)
        return response

    async def fetch(
        self, service: str, method: str, path: str, contract: type[BaseModel], **kwargs: Any
    ) -> Response:
        """The service's answer: a success as `contract` validated it, a refusal unchanged."""
        return answer(service, await self.call(service, method, path, **kwargs), contract)

    def _vouch(self) -> dict[str, str]:
        if self.identity_key is None:
            return {}
        # A public route (the plate's verification) has no principal: the gateway still vouches
        # that the call passed its rules, as an anonymous caller.
        who = identity.actor.get() or PUBLIC
        vouch = self.vouches.get(who)
        if vouch is None:
            vouch = self.vouches[who] = identity.sign(self.identity_key, who, datetime.now(UTC))
        return {identity.HEADER: vouch}


def _context_headers(content: bytes | None) -> dict[str, str]:
    headers = {"accept": "application/json"}
    cid = correlation_id.get()
    if cid:
        headers["x-correlation-id"] = cid
    if content is not None:
        headers["content-type"] = "application/json"
    return headers


def upstream_transport() -> httpx.AsyncBaseTransport:
    return AiohttpTransport()


def _transport_failure(service: str, method: str, exc: httpx.TransportError) -> UpstreamError:
    """What is known of the call. The aiohttp transport maps every broken connection to
    `ConnectTimeout`, so its own error (the cause) tells a call never delivered (no connection
    made) from one whose connection failed after the request went out (it may have been applied)."""
    cause = exc.__cause__
    if isinstance(cause, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError):
        return _unreachable(service, method)
    if isinstance(cause, aiohttp.ServerTimeoutError):
        return _unanswered(service, method)
    if isinstance(cause, aiohttp.ClientError):
        return _broken(service, method)
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
        return _unreachable(service, method)
    if isinstance(exc, httpx.TimeoutException):
        return _unanswered(service, method)
    return _broken(service, method)


def _writes(method: str) -> bool:
    return method.upper() not in ("GET", "HEAD", "OPTIONS")


def _unreachable(service: str, method: str) -> UpstreamError:
    written = "; the request was not delivered, nothing was written" if _writes(method) else ""
    return UpstreamError(
        service, 503, "Service unavailable", f"{service} is unreachable{written}", RETRY_AFTER_S
    )


def _unanswered(service: str, method: str) -> UpstreamError:
    maybe = MAYBE_APPLIED if _writes(method) else ""
    detail = f"{service} did not answer in time{maybe}"
    return UpstreamError(service, 504, "Service timeout", detail, RETRY_AFTER_S)


def _broken(service: str, method: str) -> UpstreamError:
    maybe = MAYBE_APPLIED if _writes(method) else ""
    detail = f"the connection to {service} failed mid-request{maybe}"
    return UpstreamError(service, 503, "Service unavailable", detail, RETRY_AFTER_S)


def _failed(service: str, response: httpx.Response) -> UpstreamError:
    if response.status_code != 503:
        status = response.status_code
        return UpstreamError(service, 502, "Bad gateway", f"{service} failed (HTTP {status})")
    # The service's own 503 says what it knows (not ready: nothing written; reports not
    # confirmed: retry): keep its words.
    try:
        body = response.json()
        title, detail = str(body["title"]), str(body["detail"])
    except (ValueError, KeyError, TypeError):
        title, detail = "Service unavailable", f"{service} is not ready"
    retry = response.headers.get("retry-after", "")
    return UpstreamError(
        service, 503, title, detail, int(retry) if retry.isdigit() else RETRY_AFTER_S
    )


def passthrough(response: httpx.Response) -> Response:
    forwarded = Response(
        content=response.content,
        status_code=response.status_code,
        media_type=response.headers.get("content-type"),
    )
    return _with_freshness(forwarded, response)


def _with_freshness(answered: Response, upstream: httpx.Response) -> Response:
    """Keep the service's word on how current its data is."""
    for name in FRESHNESS_HEADERS:
        if name in upstream.headers:
            answered.headers[name] = upstream.headers[name]
    return answered


def answer(
    service: str, response: httpx.Response, contract: type[BaseModel], *, absent: bool = False
) -> Response:
    """`absent`: an element the service left out stays out (ISO 15143-3 omits what nothing
    reported), instead of coming back as null."""
    if not response.is_success:
        return passthrough(response)
    body = conform(service, response, contract).model_dump_json(exclude_none=absent)
    validated = Response(body, status_code=response.status_code, media_type="application/json")
    return _with_freshness(validated, response)


def conform(service: str, response: httpx.Response, contract: type[Contract]) -> Contract:
    """The body as `contract`, or a 502 naming the service that broke its own contract."""
    try:
        return contract.model_validate_json(response.content)
    except ValidationError as exc:
        where = ".".join(str(part) for part in exc.errors()[0]["loc"]) or "body"
        detail = f"{service} answered outside its contract {contract.__name__} (at {where})"
        raise UpstreamError(service, 502, "Bad gateway", detail) from exc
