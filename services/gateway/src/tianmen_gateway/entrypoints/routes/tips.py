"""/api/v1/tips: citizen tip-offs, 随手拍 (reports)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from tianmen_reports.entrypoints.schemas import TipIn, TipReceipt, TipView

from tianmen_gateway.adapters.upstream import segment
from tianmen_gateway.entrypoints.deps import OnceDep, ResourceId, UpstreamsDep
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.identity.principal import Principal, Role

REPORTER = "x-reporter-id"
router = APIRouter(prefix="/api/v1/tips", tags=["tips"])


@router.post(
    "",
    status_code=201,
    response_model=TipReceipt,
    summary="Submit a tip-off with location, photos and an optional contact",
    responses={
        200: {"model": TipReceipt, "description": "A retry: the tip already exists"},
        **problems(409, 422),
    },
)
async def submit_tip(
    body: TipIn, request: Request, upstreams: UpstreamsDep, once: OnceDep
) -> Response:
    """The key reaches reports scoped to the caller, so a tip's id is derived from both; the
    citizen's subject reaches it as the reporter (kept there only as a pseudonym)."""
    key = once.forwarded_key()
    headers = {"idempotency-key": key} if key else {}
    headers |= _reporter(request)
    content = await request.body()
    return await once(
        content,
        lambda: upstreams.fetch(
            "reports", "POST", "/tips", TipReceipt, content=content, headers=headers
        ),
    )


@router.get(
    "/{tip_id}",
    response_model=TipView,
    summary="A tip's public view (never the reporter's contact)",
    responses=problems(404, 422),
)
async def get_tip(tip_id: ResourceId, request: Request, upstreams: UpstreamsDep) -> Response:
    """A citizen reads their own tips only: reports answers anyone else's as missing (404)."""
    path = f"/tips/{segment(tip_id)}"
    return await upstreams.fetch("reports", "GET", path, TipView, headers=_reporter(request))


def _reporter(request: Request) -> dict[str, str]:
    principal: Principal = request.state.principal
    return {REPORTER: principal.subject} if principal.role is Role.CITIZEN else {}
