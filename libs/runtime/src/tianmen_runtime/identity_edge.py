"""A service's HTTP edge answers only requests the gateway vouches for (defence in depth)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from functools import lru_cache

from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI, Request, Response

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

    async def vouched(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.url.path in OPEN:
            return await call_next(request)
        try:
            who = _current(verified(request.headers.get(HEADER)))
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


def _current(verified: tuple[Actor, float]) -> Actor:
    who, valid_until = verified
    if time.time() >= valid_until:
        raise Unverified("identity not accepted: Signature has expired")
    return who
