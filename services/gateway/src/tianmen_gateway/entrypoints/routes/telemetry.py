"""Terminal reports, terminals' live state and alerts (telemetry)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tianmen_gateway.adapters.upstream import segment
from tianmen_gateway.entrypoints.deps import ID_PATTERN, ResourceId, UpstreamsDep
from tianmen_gateway.entrypoints.schemas.problems import problems
from tianmen_gateway.entrypoints.schemas.telemetry import (
    AlertList,
    ReportBatch,
    ReportsAccepted,
    TerminalView,
)

router = APIRouter(prefix="/api/v1")
OptionalId = Annotated[str | None, Query(pattern=ID_PATTERN)]


@router.post(
    "/telemetry/reports",
    status_code=202,
    response_model=ReportsAccepted,
    tags=["telemetry"],
    summary="Ingest a batch of terminal reports (all or nothing)",
    responses=problems(422),
)
async def ingest_reports(body: ReportBatch, request: Request, upstreams: UpstreamsDep) -> Response:
    return await upstreams.forward("telemetry", "POST", "/reports", content=await request.body())


@router.get(
    "/terminals/{terminal_id}",
    response_model=TerminalView,
    tags=["terminals"],
    summary="A terminal's machine and last reported state",
    responses=problems(404, 422),
)
async def get_terminal(terminal_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    return await upstreams.forward("telemetry", "GET", f"/terminals/{segment(terminal_id)}")


@router.get(
    "/alerts",
    response_model=AlertList,
    tags=["alerts"],
    summary="Alerts raised by telemetry rules, by enterprise and/or machine",
    responses=problems(422),
)
async def list_alerts(
    upstreams: UpstreamsDep,
    enterprise_id: OptionalId = None,
    machine_id: OptionalId = None,
    limit: Annotated[int | None, Query(ge=1, le=1000, description="Default 100")] = None,
) -> Response:
    params = {"enterprise_id": enterprise_id, "machine_id": machine_id, "limit": limit}
    chosen = {name: str(value) for name, value in params.items() if value is not None}
    return await upstreams.forward("telemetry", "GET", "/alerts", params=chosen)
