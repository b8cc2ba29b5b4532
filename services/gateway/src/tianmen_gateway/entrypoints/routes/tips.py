"""/api/v1/tips: citizen tip-offs, 随手拍 (reports); the staff queue and its telemetry evidence."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from tianmen_reports.entrypoints.schemas import TipIn, TipReceipt, TipView
from tianmen_reports.entrypoints.schemas.staff import EvidenceView, StaffTipView
from tianmen_runtime.http import FieldError
from tianmen_runtime.pages import Page

from tianmen_gateway.adapters.upstream import segment
from tianmen_gateway.entrypoints.deps import OnceDep, Paging, ResourceId, UpstreamsDep, given
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.identity.authenticate import Refused
from tianmen_gateway.identity.enforce import VisibilityDep
from tianmen_gateway.identity.principal import Principal, Role
from tianmen_gateway.service_layer.scoped import visible_page

REPORTER = "x-reporter-id"
TipStatus = Literal[
    "submitted",
    "assigned",
    "verifying",
    "verified",
    "unfounded",
    "out_of_scope",
    "duplicate",
    "closed",
]
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
    citizen's subject reaches it as the reporter (kept there only as a pseudonym). A photo is
    uploaded (`POST /api/v1/media`) and named by its id: a `photo_urls` entry is accepted only
    if it points at the suite's own media store (`MEDIA_STORE_URL`), so no URL of elsewhere is
    ever kept, shown to staff or fetched."""
    photos = {f"photo_urls.{index}": url for index, url in enumerate(body.photo_urls)}
    own_media_only(photos, request.app.state.media_store_url)
    key = once.forwarded_key()
    headers = {"idempotency-key": key} if key else {}
    headers |= reporter(request)
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
    return await upstreams.fetch("reports", "GET", path, TipView, headers=reporter(request))


def own_media_only(urls: dict[str, str], store: str) -> None:
    """Refuse (422) each URL, by the field that holds it, that is not of the media store."""
    foreign = [
        FieldError(field=field, message="not a URL of the suite's media store")
        for field, url in urls.items()
        if not (store and url.startswith(store.rstrip("/") + "/"))
    ]
    if foreign:
        detail = "photos are uploaded to POST /api/v1/media and named in media_ids"
        raise Refused(422, "Invalid request", detail, errors=foreign)


def reporter(request: Request) -> dict[str, str]:
    """A citizen's subject, for reports to keep as a pseudonym and to answer their own only."""
    principal: Principal = request.state.principal
    return {REPORTER: principal.subject} if principal.role is Role.CITIZEN else {}


@router.get(
    "",
    response_model=Page[StaffTipView],
    summary="The tips queue: tips by state, oldest first (default: still open)",
    responses=problems(422),
)
async def list_tips(
    upstreams: UpstreamsDep,
    seen: VisibilityDep,
    page: Paging,
    status: TipStatus | None = None,
) -> Response:
    """Staff see the tips of their jurisdiction (a tip not routed to one is the city's)."""

    async def keep(tip: StaffTipView) -> bool:
        return seen.sees_tip_in(tip.jurisdiction)

    params = {**given(status=status), **page}
    return await visible_page(upstreams, "reports", "/staff/tips", StaffTipView, params, keep)


@router.get(
    "/{tip_id}/evidence",
    response_model=EvidenceView,
    summary="Machines whose tracks passed near the tip's place around its time",
    responses=problems(404, 422),
)
async def get_tip_evidence(
    tip_id: ResourceId,
    upstreams: UpstreamsDep,
    radius_m: Annotated[float, Query(gt=0, le=5000)] = 300.0,
    window_minutes: Annotated[int, Query(gt=0, le=24 * 60)] = 60,
) -> Response:
    path = f"/staff/tips/{segment(tip_id)}/evidence"
    params = {"radius_m": str(radius_m), "window_minutes": str(window_minutes)}
    return await upstreams.fetch("reports", "GET", path, EvidenceView, params=params)
