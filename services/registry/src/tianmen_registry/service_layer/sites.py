"""Use cases: register a work site, issue a night-work permit, declare a restricted zone,
record maintenance. Boundaries are checked with shapely before anything is decided."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from tianmen_events import derive_id
from tianmen_events.registry import WorkSiteRegistered
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_registry.adapters import reference
from tianmen_registry.adapters.geometry import checked_polygon, township_at
from tianmen_registry.domain import enterprises, machines, sites
from tianmen_registry.service_layer.recording import events_of, record, version_of


def register_site(cmd: sites.RegisterSite, uow: UnitOfWork, now: datetime) -> str:
    jurisdictions = reference.current().jurisdictions
    boundary = checked_polygon(cmd.boundary)
    code = (
        jurisdictions.get(cmd.jurisdiction_code).code
        if cmd.jurisdiction_code
        else township_at(jurisdictions, boundary)
    )
    site_id = sites.site_id_for(cmd.enterprise_id, cmd.name)
    history = uow.events.load(site_id)
    enterprise = enterprises.fold(events_of(uow.events.load(cmd.enterprise_id)))
    new = sites.decide_site(
        bool(history), enterprise, replace(cmd, boundary=boundary, jurisdiction_code=code)
    )
    record(uow, site_id, new, version_of(history), now)
    return site_id


def issue_permit(cmd: sites.IssuePermit, uow: UnitOfWork, now: datetime) -> str:
    history = uow.events.load(cmd.site_id)
    site = next((r.event for r in history if isinstance(r.event, WorkSiteRegistered)), None)
    new = sites.decide_permit(site, cmd)
    record(uow, cmd.site_id, new, version_of(history), now)
    return str(new[0].model_dump()["permit_id"])


def declare_zone(cmd: sites.DeclareZone, uow: UnitOfWork, now: datetime) -> str:
    code = reference.current().jurisdictions.get(cmd.jurisdiction_code).code
    zone = replace(cmd, boundary=checked_polygon(cmd.boundary), jurisdiction_code=code)
    zone_id = derive_id("zone", code, cmd.name.strip())
    history = uow.events.load(zone_id)
    record(uow, zone_id, sites.decide_zone(bool(history), zone), version_of(history), now)
    return zone_id


def record_maintenance(cmd: sites.RecordMaintenance, uow: UnitOfWork, now: datetime) -> str:
    history = uow.events.load(cmd.machine_id)
    new = sites.decide_maintenance(machines.fold(events_of(history)), cmd)
    record(uow, cmd.machine_id, new, version_of(history), now)
    return cmd.machine_id
