"""A service's HTTP edge answers only requests the gateway vouches for (defence in depth)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI, Request, Response

from tianmen_runtime.http import problem
from tianmen_runtime.identity import HEADER, Unverified, actor, verify

OPEN = frozenset({"/healthz", "/readyz", "/metrics"})
"""Probes and scrapes: the kubelet and Prometheus carry no identity, and these change nothing."""


def require_identity(app: FastAPI, key: ec.EllipticCurvePublicKey) -> None:
    """Every route but the probes needs the gateway's signed identity; the verified caller is
    the request's `actor` (written into the events it appends)."""

    async def vouched(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.url.path in OPEN:
            return await call_next(request)
        try:
            who = verify(key, request.headers.get(HEADER))
        except Unverified as exc:
            response = problem(401, "Unauthorized", str(exc))
            response.headers["www-authenticate"] = f'{HEADER} realm="tianmen-services"'
            return response
        token = actor.set(who)
        try:
            return await call_next(request)
        finally:
            actor.reset(token)

    app.middleware("http")(vouched)
