"""A POST retried with the same Idempotency-Key has one effect and gets the same answer.

Keys are scoped to the caller (their token's subject): two clients never share one. The same
key with a different body is refused (422). While the first request runs, a retry is told to
wait (409, Retry-After). Only successes are kept (24 h); after a refusal or a failure the key
is free again, so a corrected or later retry runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fastapi import Response
from starlette.concurrency import run_in_threadpool
from tianmen_runtime.http import FieldError

from tianmen_gateway.adapters.idempotency_store import IdempotencyStore, Stored
from tianmen_gateway.identity.authenticate import Refused

HEADER = "Idempotency-Key"


class KeyReused(Refused):
    def __init__(self) -> None:
        error = FieldError(field=HEADER, message="used before with a different body")
        detail = "this key was used with a different request"
        super().__init__(422, "Idempotency key reused", detail, errors=[error])


@dataclass(frozen=True)
class Once:
    store: IdempotencyStore
    client: str
    key: str | None
    abandoned_after: timedelta

    def forwarded_key(self) -> str | None:
        """The key as the owning service sees it: scoped to this client, fixed length."""
        if self.key is None:
            return None
        return hashlib.sha256(f"{self.client}\n{self.key}".encode()).hexdigest()

    async def __call__(self, content: bytes, call: Callable[[], Awaitable[Response]]) -> Response:
        if self.key is None:
            return await call()
        sha = hashlib.sha256(content).hexdigest()
        now = datetime.now(UTC)
        stored = await run_in_threadpool(self.store.claim, self.client, self.key, sha, now)
        if stored is not None:
            replay = await self._settle(stored, sha, now)
            if replay is not None:
                return replay
        return await self._run(call)

    async def _settle(self, stored: Stored, sha: str, now: datetime) -> Response | None:
        """The stored answer to replay, or None once this request took over an abandoned key."""
        if stored.request_sha256 != sha:
            raise KeyReused
        if stored.status is not None:
            replayed = Response(stored.body, stored.status, media_type=stored.media_type)
            replayed.headers["Idempotent-Replayed"] = "true"
            return replayed
        abandoned = now - stored.claimed_at > self.abandoned_after
        if abandoned and await run_in_threadpool(
            self.store.take_over, self.client, str(self.key), stored, now
        ):
            return None
        detail = "the first request with this key is still running"
        raise Refused(409, "Request in progress", detail, {"Retry-After": "1"})

    async def _run(self, call: Callable[[], Awaitable[Response]]) -> Response:
        key = str(self.key)
        try:
            response = await call()
        except BaseException:
            await run_in_threadpool(self.store.release, self.client, key)
            raise
        if 200 <= response.status_code < 300:
            body = bytes(response.body)
            status, media = response.status_code, response.media_type
            await run_in_threadpool(self.store.complete, self.client, key, status, media, body)
        else:
            await run_in_threadpool(self.store.release, self.client, key)
        return response
