"""A service's HTTP edge answers only requests the gateway vouches for (defence in depth)."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import lru_cache

from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from tianmen_runtime.http import problem
from tianmen_runtime.identity import HEADER, Actor, Unverified, actor, verify_until

OPEN = frozenset({"/healthz", "/readyz", "/metrics"})
"""Probes and scrapes: the kubelet and Prometheus carry no identity, and these change nothing."""
REMEMBERED = 4096
"""Identities verified, remembered by their exact bytes until they expire: the gateway reuses a
caller's signed identity for 30 s, so its calls in that time skip the ES256 verification."""


def require_identity(app: FastAPI, key: ec.EllipticCurvePublicKey) -> None:
    """Every route but the probes needs the gateway's signed identity; the verified caller is
    the request's `actor` (written into the events it appends)."""

    @lru_cache(maxsize=REMEMBERED)
    def verified(token: str | None) -> tuple[Actor, float]:
        return verify_until(key, token)  # a refusal raises, and is not remembered

    app.add_middleware(Vouched, verified=verified)


class Vouched:
    """Plain ASGI middleware (no extra task per request, unlike `@app.middleware("http")`)."""

    def __init__(self, app: ASGIApp, verified: Callable[[str | None], tuple[Actor, float]]) -> None:
        self.app, self.verified = app, verified

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN:
            await self.app(scope, receive, send)
            return
        try:
            who = _current(self.verified(Headers(scope=scope).get(HEADER)))
        except Unverified as exc:
            response = problem(401, "Unauthorized", str(exc))
            response.headers["www-authenticate"] = f'{HEADER} realm="tianmen-services"'
            await response(scope, receive, send)
            return
        token = actor.set(who)
        try:
            await self.app(scope, receive, send)
        finally:
            actor.reset(token)


def _current(verified: tuple[Actor, float]) -> Actor:
    who, valid_until = verified
    if time.time() >= valid_until:
        raise Unverified("identity not accepted: Signature has expired")
    return who
