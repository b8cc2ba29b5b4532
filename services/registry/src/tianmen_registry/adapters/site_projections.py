"""Site, permit, zone and maintenance events applied to their query tables."""

from __future__ import annotations

from sqlalchemy import insert
from tianmen_events import EventMeta
from tianmen_events.registry import (
    MaintenanceRecorded,
    NightWorkPermitIssued,
    RestrictedZoneDeclared,
    WorkSiteRegistered,
)
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_registry.adapters.counter_projections import utc
from tianmen_registry.adapters.orm_sites import maintenance, permits, sites, zones


def site_registered(event: WorkSiteRegistered, _: EventMeta, uow: UnitOfWork) -> None:
    uow.conn.execute(insert(sites).values(**event.model_dump(mode="json", exclude={"actor"})))


def permit_issued(event: NightWorkPermitIssued, _: EventMeta, uow: UnitOfWork) -> None:
    row = event.model_dump(include={"permit_id", "site_id", "reason"})
    row |= {"start": event.hours.start, "end": event.hours.end}
    valid = {"valid_from": utc(event.valid_from), "valid_until": utc(event.valid_until)}
    uow.conn.execute(insert(permits).values(**row, **valid))


def zone_declared(event: RestrictedZoneDeclared, _: EventMeta, uow: UnitOfWork) -> None:
    uow.conn.execute(insert(zones).values(**event.model_dump(mode="json", exclude={"actor"})))


def maintenance_recorded(event: MaintenanceRecorded, meta: EventMeta, uow: UnitOfWork) -> None:
    row = event.model_dump(exclude={"actor", "enterprise_id"})
    uow.conn.execute(insert(maintenance).values(**row, sequence=meta.sequence))


SITES = (
    EventHandlers()
    .on(WorkSiteRegistered, site_registered)
    .on(NightWorkPermitIssued, permit_issued)
    .on(RestrictedZoneDeclared, zone_declared)
    .on(MaintenanceRecorded, maintenance_recorded)
)
