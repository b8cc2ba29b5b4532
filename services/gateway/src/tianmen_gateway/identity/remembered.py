"""Tokens already verified, remembered until they expire: a caller's next request with the same
token skips the signature check (ES256 verification is most of the gateway's own cost per read).

Only the exact bytes of a token that passed every check are remembered, with the moment its
`exp` (plus the leeway) passes; a changed byte is another token and is verified in full. A key
withdrawn from the identity provider's JWKS stops admitting a remembered token when that token
expires, or at the latest after `TTL_S`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from cachetools import TTLCache
from starlette.concurrency import run_in_threadpool

from tianmen_gateway.identity.principal import Principal
from tianmen_gateway.identity.verifier import TokenVerifier

TTL_S = 300
MAX_TOKENS = 10_000


@dataclass
class RememberedTokens:
    verifier: TokenVerifier
    verified: TTLCache[str, tuple[Principal, float]] = field(
        default_factory=lambda: TTLCache(MAX_TOKENS, TTL_S)
    )
    """Used on the event loop only (TTLCache is not thread-safe)."""

    async def principal(self, token: str) -> Principal:
        remembered = self.verified.get(token)
        if remembered is not None and time.time() < remembered[1]:
            return remembered[0]
        # A configured JWKS URL may be fetched (blocking): off the event loop.
        principal, valid_until = await run_in_threadpool(self.verifier.verify_until, token)
        self.verified[token] = (principal, valid_until)
        return principal
