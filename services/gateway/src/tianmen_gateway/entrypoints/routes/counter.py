"""/api/v1/applications …: the online service counter (registry), and what the center reads
of it: handling times; the sweeps that flag what ran overdue at a given time; bulk import."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response
from tianmen_registry.entrypoints.schemas import (
    ApplicationView,
    DecisionIn,
    HandlingTimes,
    ImportReport,
    StoredAttachment,
    SubmitIn,
    SweepIn,
    Swept,
)

from tianmen_gateway.adapters.upstream import segment
from tianmen_gateway.entrypoints.body_guard import FILES, file_body
from tianmen_gateway.entrypoints.deps import OnceDep, ResourceId, UpstreamsDep
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.entrypoints.routes import forward

router = APIRouter(prefix="/api/v1", tags=["applications"])
ATTACHMENTS, IMPORTS = "/api/v1/attachments", "/api/v1/imports/machines"


@router.post(
    "/attachments",
    status_code=201,
    response_model=StoredAttachment,
    summary="Upload an application's attachment (PDF, JPEG or PNG, at most 10 MiB)",
    responses=problems(422),
    openapi_extra=file_body(FILES[ATTACHMENTS].media_types),
)
async def upload_attachment(request: Request, upstreams: UpstreamsDep, once: OnceDep) -> Response:
    return await forward.command(upstreams, "POST", "/attachments", StoredAttachment, request, once)


@router.post(
    "/applications",
    status_code=201,
    response_model=ApplicationView,
    summary="Submit an application: registration, annual review, change, transfer or "
    "deregistration (resubmitting its request_id is a no-op)",
    responses=problems(404, 409, 422),
)
async def submit_application(
    body: SubmitIn, request: Request, upstreams: UpstreamsDep, once: OnceDep
) -> Response:
    return await forward.command(upstreams, "POST", "/applications", ApplicationView, request, once)


@router.get(
    "/applications/{application_id}",
    response_model=ApplicationView,
    summary="An application with its timeline and due time",
    responses=problems(404, 422),
)
async def get_application(application_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    return await forward.read(
        upstreams, f"/applications/{segment(application_id)}", ApplicationView
    )


async def _decide(
    action: str, application_id: str, request: Request, upstreams: UpstreamsDep, once: OnceDep
) -> Response:
    path = f"/applications/{segment(application_id)}/{action}"
    return await forward.command(upstreams, "POST", path, ApplicationView, request, once)


def _decision(action: Literal["accept", "approve", "reject", "withdraw"], summary: str) -> None:
    async def decide(
        application_id: ResourceId,
        body: DecisionIn,
        request: Request,
        upstreams: UpstreamsDep,
        once: OnceDep,
    ) -> Response:
        return await _decide(action, application_id, request, upstreams, once)

    router.add_api_route(
        f"/applications/{{application_id}}/{action}",
        decide,
        methods=["POST"],
        name=f"{action}_application",
        response_model=ApplicationView,
        summary=summary,
        responses=problems(404, 409, 422),
    )


_decision("accept", "Accept an application: its due time is set (2 working days)")
_decision("approve", "Approve an accepted application")
_decision("reject", "Reject an accepted application, with the reason")
_decision("withdraw", "Withdraw an application not yet decided")


@router.post(
    "/application-sweeps/overdue",
    response_model=Swept,
    summary="Flag the applications overdue at `as_of` (event time; a scheduler calls it)",
    responses=problems(422),
)
async def sweep_overdue_applications(
    body: SweepIn, request: Request, upstreams: UpstreamsDep, once: OnceDep
) -> Response:
    path = "/application-sweeps/overdue"
    return await forward.command(upstreams, "POST", path, Swept, request, once)


@router.post(
    "/machine-sweeps/annual-review-overdue",
    response_model=Swept,
    summary="Flag the machines whose annual review is overdue at `as_of` (event time)",
    responses=problems(422),
)
async def sweep_overdue_reviews(
    body: SweepIn, request: Request, upstreams: UpstreamsDep, once: OnceDep
) -> Response:
    path = "/machine-sweeps/annual-review-overdue"
    return await forward.command(upstreams, "POST", path, Swept, request, once)


@router.get(
    "/application-stats/handling-times",
    response_model=HandlingTimes,
    summary="Average handling time per application kind and month or year",
    responses=problems(422),
)
async def get_handling_times(
    upstreams: UpstreamsDep, period: Literal["month", "year"] = "month"
) -> Response:
    path = "/application-stats/handling-times"
    return await forward.read(upstreams, path, HandlingTimes, params={"period": period})


@router.post(
    "/imports/machines",
    response_model=ImportReport,
    summary="Import a register of machines from CSV (UTF-8) or XLSX; a rerun creates nothing twice",
    responses=problems(422),
    openapi_extra=file_body(FILES[IMPORTS].media_types),
)
async def import_machines(request: Request, upstreams: UpstreamsDep, once: OnceDep) -> Response:
    return await forward.command(
        upstreams, "POST", "/imports/machines", ImportReport, request, once
    )
