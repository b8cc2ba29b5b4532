"""Terminal reports, terminals' live state and alerts (telemetry)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from tianmen_events.telemetry import AlertRaised
from tianmen_runtime.pages import Page
from tianmen_telemetry.entrypoints.schemas import Accepted, ReportBatch, TerminalView

from tianmen_gateway.adapters.upstream import segment
from tianmen_gateway.entrypoints.deps import (
    OnceDep,
    OptionalId,
    Paging,
    ResourceId,
    UpstreamsDep,
    given,
)
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.identity.enforce import VisibilityDep
from tianmen_gateway.service_layer.scoped import own_enterprise, visible_page

router = APIRouter(prefix="/api/v1")


@router.post(
    "/telemetry/reports",
    status_code=202,
    response_model=Accepted,
    tags=["telemetry"],
    summary="Ingest a batch of terminal reports (all or nothing)",
    responses=problems(422),
)
async def ingest_reports(
    body: ReportBatch, request: Request, upstreams: UpstreamsDep, once: OnceDep
) -> Response:
    content = await request.body()
    return await once(
        content,
        lambda: upstreams.fetch("telemetry", "POST", "/reports", Accepted, content=content),
    )


@router.get(
    "/terminals/{terminal_id}",
    response_model=TerminalView,
    tags=["terminals"],
    summary="A terminal's machine and last reported state",
    responses=problems(404, 422),
)
async def get_terminal(terminal_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    path = f"/terminals/{segment(terminal_id)}"
    return await upstreams.fetch("telemetry", "GET", path, TerminalView)


@router.get(
    "/alerts",
    response_model=Page[AlertRaised],
    tags=["alerts"],
    summary="Alerts raised by telemetry rules, newest first, by enterprise and/or machine",
    responses=problems(422),
)
async def list_alerts(
    upstreams: UpstreamsDep,
    seen: VisibilityDep,
    page: Paging,
    enterprise_id: OptionalId = None,
    machine_id: OptionalId = None,
) -> Response:
    asked = {**given(enterprise_id=enterprise_id, machine_id=machine_id), **page}

    async def keep(alert: AlertRaised) -> bool:
        return await seen.sees_enterprise(alert.enterprise_id)

    params = own_enterprise(seen, asked)
    return await visible_page(upstreams, "telemetry", "/alerts", AlertRaised, params, keep)
