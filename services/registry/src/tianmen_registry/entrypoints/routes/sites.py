"""Work sites, night-work permits, restricted zones, maintenance records."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import select
from tianmen_events.errors import NotFound
from tianmen_runtime.commands import run_command
from tianmen_runtime.http import Clock, problems
from tianmen_runtime.service import Service

from tianmen_registry.adapters import orm_sites
from tianmen_registry.adapters.orm_sites import maintenance
from tianmen_registry.domain import sites as domain
from tianmen_registry.entrypoints import views
from tianmen_registry.entrypoints.requests import MaintenanceIn, PermitIn, SiteIn, ZoneIn
from tianmen_registry.service_layer import sites

View = dict[str, Any]


def routes(service: Service, clock: Clock) -> APIRouter:
    router = APIRouter(tags=["sites"])

    def run(handler: Any, cmd: Any) -> Any:
        return run_command(service.engine, service.source, handler, cmd, clock())

    @router.post(
        "/sites",
        status_code=201,
        response_model=views.SiteRegistered,
        responses=problems(409, 422),
    )
    def register_site(body: SiteIn) -> View:
        fields = body.model_dump(exclude={"permitted_hours"})
        cmd = domain.RegisterSite(**fields, permitted_hours=tuple(body.permitted_hours))
        return {"site_id": run(sites.register_site, cmd)}

    @router.get("/sites/{site_id}", response_model=views.SiteView, responses=problems(404))
    def get_site(site_id: str) -> View:
        with service.engine.connect() as conn:
            found = conn.execute(
                select(orm_sites.sites).where(orm_sites.sites.c.site_id == site_id)
            )
            row = found.mappings().first()
        if row is None:
            raise NotFound(f"no site {site_id}", field="site_id")
        return dict(row)

    @router.post(
        "/sites/{site_id}/night-work-permits",
        status_code=201,
        response_model=views.PermitIssued,
        responses=problems(404, 422),
    )
    def issue_permit(site_id: str, body: PermitIn) -> View:
        return {"permit_id": run(sites.issue_permit, domain.IssuePermit(site_id, **dict(body)))}

    @router.post(
        "/restricted-zones",
        status_code=201,
        response_model=views.ZoneDeclared,
        responses=problems(422),
    )
    def declare_zone(body: ZoneIn) -> View:
        return {"zone_id": run(sites.declare_zone, domain.DeclareZone(**body.model_dump()))}

    @router.post(
        "/machines/{machine_id}/maintenance",
        status_code=201,
        response_model=views.MaintenanceRecords,
        responses=problems(404, 422),
    )
    def record_maintenance(machine_id: str, body: MaintenanceIn) -> list[View]:
        run(sites.record_maintenance, domain.RecordMaintenance(machine_id, **body.model_dump()))
        with service.engine.connect() as conn:
            query = select(maintenance).where(maintenance.c.machine_id == machine_id)
            return [
                dict(row) for row in conn.execute(query.order_by(maintenance.c.sequence)).mappings()
            ]

    return router
