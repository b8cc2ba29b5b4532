"""The HTTP edge every service shares: problem+json errors, health, readiness, metrics, logs."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeout
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from tianmen_events.errors import DomainError

from tianmen_runtime import freshness
from tianmen_runtime.logs import correlation_id
from tianmen_runtime.metrics import HTTP_LATENCY
from tianmen_runtime.openapi import problem_json_openapi

PROBLEM = "application/problem+json"
CORRELATION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
"""What a client may pass as X-Correlation-ID; anything else is replaced by a fresh id."""
log = logging.getLogger("tianmen.http")
RETRY_AFTER_S = 5
"""Seconds a client should wait before retrying a 503 (readiness, store unavailable)."""


Clock = Callable[[], datetime]


def wall_clock() -> datetime:
    """The edge's clock: the time a command is accepted. Nothing replayed reads it."""
    return datetime.now(UTC)


class FieldError(BaseModel):
    field: str = Field(description="The input at fault: `uscc`, `reports.1.terminal_id`, `cursor`")
    message: str


class Problem(BaseModel):
    """application/problem+json (RFC 9457): how every service and the gateway answer an error."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] = Field(default=[], description="The fields at fault, if any")
    service: str | None = Field(
        default=None, description="At the gateway: the service that failed or is unreachable"
    )


def problem(
    status: int,
    title: str,
    detail: str,
    errors: Sequence[FieldError] = (),
    service: str | None = None,
) -> JSONResponse:
    body = Problem(
        type=f"urn:tianmen:problem:{title.lower().replace(' ', '-')}",
        title=title,
        status=status,
        detail=detail,
        errors=list(errors),
        service=service,
    )
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM)


def problems(*statuses: int, **described: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` documenting a route's problem+json answers (`described`: by "404"…)."""
    return {
        status: {
            "model": Problem,
            "description": described.get(str(status), HTTPStatus(status).phrase),
        }
        for status in statuses
    }


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def _validation_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        # A body that is not JSON has loc ("body", <char offset>): the field at fault is the body.
        FieldError(
            field="body" if e["type"] == "json_invalid" else _field(tuple(e["loc"])),
            message=e["msg"],
        )
        for e in exc.errors()
    ]
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
    return problem(422, "Invalid request", detail, errors=errors)


async def _domain_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    errors = [FieldError(field=exc.field, message=exc.detail)] if exc.field else []
    return problem(exc.status, exc.code.replace("-", " ").capitalize(), exc.detail, errors=errors)


async def _unexpected_error(_: Request, exc: Exception) -> Response:
    log.error("unhandled error", exc_info=exc)
    return problem(
        500, "Internal error", "the request failed; it is logged with its correlation id"
    )


async def _store_unavailable(_: Request, exc: Exception) -> Response:
    log.warning("store unavailable", extra={"error": type(exc).__name__})
    response = problem(
        503,
        "Store unavailable",
        "the service's database is unavailable or locked; the transaction was rolled back, so "
        "nothing was applied unless the failure hit its commit. Retrying is safe: a command "
        "already applied is refused as a duplicate, never applied twice",
    )
    response.headers["retry-after"] = str(RETRY_AFTER_S)
    return response


async def _http_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    response = problem(exc.status_code, "HTTP error", str(exc.detail))
    response.headers.update(exc.headers or {})  # e.g. a 405's Allow (RFC 9110)
    return response


class StateDigest(BaseModel):
    digest: str = Field(description="sha256 of the derived state; `replay` prints the same")


def create_app(
    title: str,
    ready: Callable[[], bool],
    digest: Callable[[], str] | None = None,
    **kwargs: Any,
) -> FastAPI:
    """The service's app with the shared edge; `digest` adds ``GET /digest`` for a derived store."""
    app = FastAPI(title=title, **kwargs)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(OperationalError, _store_unavailable)
    app.add_exception_handler(SQLAlchemyTimeout, _store_unavailable)
    app.add_exception_handler(Exception, _unexpected_error)
    app.add_middleware(Observe)
    app.openapi = problem_json_openapi(app, Problem)  # type: ignore[method-assign]

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> Response:
        if ready():
            return JSONResponse({"status": "ready"})
        response = problem(
            503,
            "Not ready",
            f"{title} is starting, a background loop stopped, or it cannot reach its database "
            "or the broker",
        )
        response.headers["retry-after"] = str(RETRY_AFTER_S)
        return response

    if digest is not None:

        @app.get("/digest", response_model=StateDigest, tags=["audit"])
        def get_digest() -> StateDigest:
            """The state digest of the live store, to compare with a replay from offset 0."""
            return StateDigest(digest=digest())

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app


class Observe:
    """Correlation id, latency metric, freshness headers and the request log line, as plain ASGI
    middleware: Starlette's `@app.middleware("http")` runs every request through an extra task
    and memory streams, a cost paid twice per hop (gateway, then service) on every read."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = Headers(scope=scope).get("x-correlation-id", "")
        cid = offered if CORRELATION_ID.fullmatch(offered) else str(uuid.uuid4())
        started = time.perf_counter()
        status = [500]

        async def observed(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                headers = MutableHeaders(scope=message)
                headers["x-correlation-id"] = cid
                if scope["method"] == "GET":
                    headers.update(await _freshness())
            await send(message)

        token = correlation_id.set(cid)
        try:
            await self.app(scope, receive, observed)
        finally:
            correlation_id.reset(token)
            _record(scope, status[0], time.perf_counter() - started, cid)


async def _freshness() -> dict[str, str]:
    # A worker thread only for the store's query (once a second), not for every read.
    found = freshness.known()
    return found if found is not None else await run_in_threadpool(freshness.headers)


def _record(scope: Scope, status: int, elapsed: float, cid: str) -> None:
    route = getattr(scope.get("route"), "path", "unmatched")
    HTTP_LATENCY.labels(scope["method"], route, str(status)).observe(elapsed)
    if route not in ("/metrics", "/healthz", "/readyz"):
        log.info(
            "request",
            extra={
                "method": scope["method"],
                "route": route,
                "status": status,
                "ms": round(elapsed * 1000, 2),
                "correlation_id": cid,
            },
        )
