"""Requests per client in a moving window (the `limits` library); over it: 429 with Retry-After."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field

from limits import RateLimitItem, parse, storage, strategies

from tianmen_gateway.identity.authenticate import Refused

EXPIRY_EVERY_S = 1.0


class QuietMemoryStorage(storage.MemoryStorage):
    """`limits`' memory storage, its clean-up of expired entries run at most once a second.

    The stock storage starts a timer thread 10 ms out on nearly every hit: under load a thread
    start per request, each contending with the event loop for the GIL. The moving window does
    not depend on the clean-up (a hit compares the window's oldest counted entry with the
    time); the clean-up only frees memory, so once a second is plenty.
    """

    def __init__(self) -> None:
        super().__init__()
        self._next_expiry = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - overrides the private hook
        now = time.monotonic()
        if now < self._next_expiry:
            return
        self._next_expiry = now + EXPIRY_EVERY_S
        expire = self._MemoryStorage__expire_events  # type: ignore[attr-defined]  # its private hook
        self.timer = threading.Timer(EXPIRY_EVERY_S, expire)
        self.timer.daemon = True
        self.timer.start()


@dataclass
class RateLimit:
    limit: RateLimitItem
    limiter: strategies.MovingWindowRateLimiter = field(
        default_factory=lambda: strategies.MovingWindowRateLimiter(QuietMemoryStorage())
    )

    @classmethod
    def of(cls, text: str) -> RateLimit:
        """From `"600/minute"`-style text."""
        return cls(parse(text))

    def check(self, client: str) -> None:
        if self.limiter.hit(self.limit, client):
            return
        reset = self.limiter.get_window_stats(self.limit, client).reset_time
        retry = max(1, math.ceil(reset - time.time()))
        detail = f"at most {self.limit} for each client; retry in {retry}s"
        raise Refused(429, "Too many requests", detail, {"Retry-After": str(retry)})
