"""The public HTTP API: one shared httpx client, one router per resource."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import cast

import httpx
from fastapi import Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from tianmen_runtime import identity
from tianmen_runtime.http import create_app, problem
from tianmen_runtime.service import Service

from tianmen_gateway.adapters.idempotency_store import IdempotencyStore
from tianmen_gateway.adapters.upstream import UpstreamError, Upstreams, upstream_transport
from tianmen_gateway.config import Settings
from tianmen_gateway.entrypoints import console, docs, landing
from tianmen_gateway.entrypoints.body_guard import BodyGuard
from tianmen_gateway.entrypoints.edge_headers import SecurityHeaders, cors
from tianmen_gateway.entrypoints.openapi import TAGS, allowed_methods, with_edge_answers
from tianmen_gateway.entrypoints.routes import (
    alert_stream,
    audit,
    boundaries,
    cases,
    counter,
    credit_audit,
    enterprise_files,
    enterprises,
    inspections,
    machine_files,
    machines,
    media,
    mortgages,
    open311,
    orders,
    sites,
    standing,
    telemetry,
    tip_follow,
    tip_media,
    tip_stats,
    tip_steps,
    tips,
    verify,
)
from tianmen_gateway.entrypoints.routes.alert_stream import Opener, streams
from tianmen_gateway.identity import jurisdictions
from tianmen_gateway.identity import routes as auth
from tianmen_gateway.identity.authenticate import Refused
from tianmen_gateway.identity.enforce import authorize, unruled
from tianmen_gateway.identity.rate_limit import RateLimit
from tianmen_gateway.identity.wiring import build_identity

Handler = Callable[[Request, Exception], Awaitable[Response]]
TITLE = "Tianmen machinery supervision API"
RETRY_AFTER_S = "5"
"""What a client told 503/504 waits before trying again (a service restarting, a broker away)."""
log = logging.getLogger(__name__)
ROUTES = (
    auth,
    enterprises,
    enterprise_files,
    standing,
    credit_audit,
    machines,
    machine_files,
    mortgages,
    counter,
    sites,
    verify,
    boundaries,
    alert_stream,
    telemetry,
    tips,
    open311,
    tip_steps,
    tip_follow,
    tip_media,
    tip_stats,
    media,
    cases,
    orders,
    inspections,
    audit,
    landing,
)


def build_api(
    service: Service,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    feeds: Opener | None = None,
) -> FastAPI:
    """`feeds` opens an alert feed at a position (default: telemetry.alert on the broker)."""
    settings = service.settings
    assert isinstance(settings, Settings), "the gateway runs with gateway settings"
    app = create_app(
        TITLE,
        ready=service.ready.is_set,
        version="1",
        description="Public API of the Tianmen construction-machinery supervision suite.",
        openapi_tags=TAGS,
        generate_unique_id_function=lambda route: route.name,
        lifespan=_lifespan(service, settings, transport),
        dependencies=[Depends(authorize)],
        docs_url=None,
        redoc_url=None,
    )
    app.state.identity = build_identity(settings)
    app.state.jurisdictions = jurisdictions.load()
    app.state.divisions = {}  # enterprise → division, shared (a USCC's division never changes)
    app.state.rate_limit = RateLimit.of(settings.rate_limit)
    app.state.login_rate_limit = RateLimit.of(settings.login_rate_limit)
    app.state.upstream_timeout_s = settings.upstream_timeout_s
    app.state.media_store_url = settings.media_store_url
    app.state.alert_streams = streams(settings, feeds)
    app.add_exception_handler(UpstreamError, _upstream_error)
    app.add_exception_handler(Refused, _refused)
    http_error = cast(Handler, app.exception_handlers[HTTPException])
    app.add_exception_handler(HTTPException, _allow_every_method(app, http_error))
    invalid = cast(Handler, app.exception_handlers[RequestValidationError])  # the edge's, async
    app.add_exception_handler(RequestValidationError, _authorized_first(invalid))
    for module in ROUTES:
        app.include_router(module.router)
    app.include_router(cases.lists)
    docs.mount(app)
    app.state.console = settings
    console.mount(app, settings.console_dir or console.BUILT)
    cors(app, settings.cors_origins)
    uploads = {media.PATH: settings.media_max_bytes}
    app.add_middleware(BodyGuard, max_bytes=settings.max_body_bytes, uploads=uploads)
    app.add_middleware(SecurityHeaders, console_policy=console.policy(settings.console_tile_url))
    _check_rules(app)
    return app


def _check_rules(app: FastAPI) -> None:
    with_edge_answers(app)
    missing = unruled(app.openapi())
    if missing:
        raise RuntimeError(f"operations without an authorisation rule: {missing}")


def _lifespan(
    service: Service, settings: Settings, transport: httpx.AsyncBaseTransport | None
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    timeout = httpx.Timeout(
        settings.upstream_timeout_s, connect=settings.upstream_connect_timeout_s
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        upstream = transport or upstream_transport()
        async with httpx.AsyncClient(timeout=timeout, transport=upstream) as client:
            key = identity.private_key(settings.identity_key_file)
            app.state.upstreams = Upstreams(client, settings.service_urls(), key)
            app.state.idempotency = IdempotencyStore(service.engine)
            yield

    return lifespan


async def _upstream_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, UpstreamError)
    log.warning("upstream failed", extra={"upstream": exc.service, "status": exc.status})
    response = problem(exc.status, exc.title, exc.detail, service=exc.service)
    if exc.retry_after is not None:
        response.headers["retry-after"] = str(exc.retry_after)
    return response


def _authorized_first(invalid: Handler) -> Handler:
    """A body FastAPI could not parse is judged before the dependencies run: answer who may
    not call at all (401/403/404) before telling them what is wrong with their request."""

    async def handler(request: Request, exc: Exception) -> Response:
        if not hasattr(request.state, "principal"):
            try:
                await authorize(request)
            except Refused as refused:
                return await _refused(request, refused)
        return await invalid(request, exc)

    return handler


def _allow_every_method(app: FastAPI, http_error: Handler) -> Handler:
    """The edge's problem for an HTTP error; a 405 lists every method the path has."""

    async def handler(request: Request, exc: Exception) -> Response:
        response = await http_error(request, exc)
        if response.status_code == 405:
            allowed = allowed_methods(app.openapi(), request.url.path)
            response.headers["Allow"] = ", ".join(allowed) or response.headers.get("Allow", "")
        return response

    return handler


async def _refused(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    response = problem(exc.status, exc.title, exc.detail, errors=exc.errors)
    response.headers.update(exc.headers)
    return response
