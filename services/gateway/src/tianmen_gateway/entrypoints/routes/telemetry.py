"""Terminal reports, terminals' live state and alerts (telemetry)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from tianmen_events.telemetry import AlertRaised
from tianmen_runtime.pages import Page
from tianmen_telemetry.entrypoints.schemas import (
    Accepted,
    AempSnapshot,
    JurisdictionTerminals,
    MachineUsage,
    ReportBatch,
    TerminalCounts,
    TerminalView,
    TrackPoint,
)

from tianmen_gateway.adapters.upstream import answer, conform, passthrough, segment
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
from tianmen_gateway.identity.principal import Role
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


@router.get(
    "/machines/{machine_id}/track",
    response_model=Page[TrackPoint],
    tags=["machines"],
    summary="A machine's positions in [from, to), oldest first, a page at a time",
    responses=problems(404, 422),
)
async def get_track(
    machine_id: ResourceId,
    upstreams: UpstreamsDep,
    page: Paging,
    since: Annotated[datetime | None, Query(alias="from")] = None,
    until: Annotated[datetime | None, Query(alias="to")] = None,
) -> Response:
    """`to` defaults to now, `from` to a day before `to`."""
    path = f"/machines/{segment(machine_id)}/track"
    params = {**_bounds(since, until), **page}
    return await upstreams.fetch("telemetry", "GET", path, Page[TrackPoint], params=params)


@router.get(
    "/machines/{machine_id}/usage",
    response_model=MachineUsage,
    tags=["machines"],
    summary="A machine's operating and idle hours and fuel used per local day, at most 366 days",
    responses=problems(404, 422),
)
async def get_machine_usage(
    machine_id: ResourceId,
    upstreams: UpstreamsDep,
    first: Annotated[date | None, Query(alias="from")] = None,
    last: Annotated[date | None, Query(alias="to")] = None,
) -> Response:
    """Days from `from` to `to`, both included; `to` defaults to today, `from` to six days
    before `to`; a day with no reports is left out."""
    path = f"/machines/{segment(machine_id)}/usage"
    params = _bounds(first, last)
    return await upstreams.fetch("telemetry", "GET", path, MachineUsage, params=params)


def _bounds(first: date | None, last: date | None) -> dict[str, str]:
    """`from` and `to` as given (a datetime is a date), in ISO 8601."""
    bounds = {"from": first, "to": last}
    return given(**{name: None if at is None else at.isoformat() for name, at in bounds.items()})


@router.get(
    "/enterprises/{enterprise_id}/fleet",
    response_model=AempSnapshot,
    tags=["enterprises"],
    summary="An enterprise's machines as an ISO 15143-3 (AEMP 2.0) fleet snapshot",
    responses=problems(404, 422),
)
async def get_fleet(enterprise_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    path = f"/enterprises/{segment(enterprise_id)}/fleet"
    snapshot = await upstreams.call("telemetry", "GET", path)
    return answer("telemetry", snapshot, AempSnapshot, absent=True)  # no null elements


@router.get(
    "/terminal-status",
    response_model=TerminalCounts,
    tags=["terminals"],
    summary="Bound terminals online and offline, per jurisdiction the caller oversees",
)
async def get_terminal_status(upstreams: UpstreamsDep, seen: VisibilityDep) -> Response:
    response = await upstreams.call("telemetry", "GET", "/terminal-status")
    if not response.is_success:
        return passthrough(response)
    counts = conform("telemetry", response, TerminalCounts)
    everything = seen.principal.role is Role.AUDITOR
    kept: list[JurisdictionTerminals] = [
        row for row in counts.jurisdictions if everything or seen.sees_division(row.jurisdiction)
    ]
    body = counts.model_copy(update={"jurisdictions": kept})
    return Response(body.model_dump_json(), media_type="application/json")
