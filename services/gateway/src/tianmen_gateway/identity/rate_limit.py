"""Requests per client in a moving window (the `limits` library); over it: 429 with Retry-After."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from limits import RateLimitItem, parse, storage, strategies

from tianmen_gateway.identity.authenticate import Refused


@dataclass
class RateLimit:
    limit: RateLimitItem
    limiter: strategies.MovingWindowRateLimiter = field(
        default_factory=lambda: strategies.MovingWindowRateLimiter(storage.MemoryStorage())
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
