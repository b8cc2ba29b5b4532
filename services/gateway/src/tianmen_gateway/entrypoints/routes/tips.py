"""/api/v1/tips: citizen tip-offs, 随手拍 (reports)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from tianmen_reports.entrypoints.schemas import TipIn, TipReceipt, TipView

from tianmen_gateway.adapters.upstream import segment
from tianmen_gateway.entrypoints.deps import OnceDep, ResourceId, UpstreamsDep
from tianmen_gateway.entrypoints.openapi import problems

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
    """The key reaches reports scoped to the caller, so a tip's id is derived from both."""
    key = once.forwarded_key()
    headers = {"idempotency-key": key} if key else {}
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
async def get_tip(tip_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    return await upstreams.fetch("reports", "GET", f"/tips/{segment(tip_id)}", TipView)
