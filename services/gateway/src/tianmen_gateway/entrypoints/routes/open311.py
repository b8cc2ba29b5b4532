"""/open311/v2: tips for civic-reporting clients, Open311 GeoReport v2 (reports).

The standard's base path and JSON format (`.json`); a request is posted form-encoded (the body
guard admits `application/x-www-form-urlencoded` here only, with its own size bound, and
refuses anything else with 415). Who may do what, the rate limits and the media URL rule are
those of `/api/v1/tips`: a citizen, or a client without a token (known by its address); a
`media_url` only of the suite's own media store. Refusals are problem+json naming the field.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, Response
from tianmen_reports.entrypoints.schemas import (
    Created311,
    Receipts311,
    Request311,
    Request311In,
    Requests311,
    Service311,
    Services311,
)

from tianmen_gateway.adapters.upstream import segment
from tianmen_gateway.entrypoints.deps import OnceDep, ResourceId, UpstreamsDep
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.entrypoints.routes.tips import own_media_only, reporter

BASE = "/open311/v2"
FORM = "application/x-www-form-urlencoded"
router = APIRouter(prefix=BASE, tags=["open311"])


@router.get(
    "/services.json",
    response_model=list[Service311],
    summary="The service list: the categories of tips (no token needed)",
    responses=problems(),
)
async def list_open311_services(upstreams: UpstreamsDep) -> Response:
    return await upstreams.fetch("reports", "GET", f"{BASE}/services.json", Services311)


@router.post(
    "/requests.json",
    status_code=201,
    response_model=list[Created311],
    summary="Post a service request (a tip), form-encoded; a token is optional",
    responses={
        200: {"model": list[Created311], "description": "A retry: the request already exists"},
        **problems(409, 422, 429),
    },
)
async def submit_open311_request(
    form: Annotated[Request311In, Form()], request: Request, upstreams: UpstreamsDep, once: OnceDep
) -> Response:
    """As `POST /api/v1/tips`: a citizen's requests are theirs (they read their status); one
    without a token is anonymous, its requests counted against its address. `media_url` must
    point at the suite's media store (upload with `POST /api/v1/media`). What reaches reports
    is the form re-encoded from its known fields (others are ignored, as GeoReport v2 allows)."""
    if form.media_url:
        own_media_only({"media_url": form.media_url}, request.app.state.media_store_url)
    content = urlencode(form.model_dump(mode="json", exclude_none=True)).encode()
    key = once.forwarded_key()
    headers = {"content-type": FORM} | ({"idempotency-key": key} if key else {})
    headers |= reporter(request)
    return await once(
        content,
        lambda: upstreams.fetch(
            "reports",
            "POST",
            f"{BASE}/requests.json",
            Receipts311,
            content=content,
            headers=headers,
        ),
    )


@router.get(
    "/requests.json",
    response_model=list[Request311],
    summary="A citizen's own latest service requests, newest first",
    responses=problems(),
)
async def list_open311_requests(request: Request, upstreams: UpstreamsDep) -> Response:
    """Citizens only, each their own (reports lists by the reporter the gateway names)."""
    path = f"{BASE}/requests.json"
    return await upstreams.fetch("reports", "GET", path, Requests311, headers=reporter(request))


@router.get(
    "/requests/{tip_id}.json",
    response_model=list[Request311],
    summary="A service request's status (open or closed) and status notes",
    responses=problems(404, 422),
)
async def get_open311_request(
    tip_id: ResourceId, request: Request, upstreams: UpstreamsDep
) -> Response:
    """`tip_id` is the `service_request_id` the post answered. A citizen reads their own only:
    reports answers anyone else's as missing (404)."""
    path = f"{BASE}/requests/{segment(tip_id)}.json"
    return await upstreams.fetch("reports", "GET", path, Requests311, headers=reporter(request))
