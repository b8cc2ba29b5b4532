"""Work sites, night-work permits, restricted zones and maintenance records.

Boundaries arrive already checked as polygons (by `adapters.geometry`, which uses shapely);
here: the names, the hours, the permit's validity, who owns what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tianmen_events import DomainEvent, derive_id
from tianmen_events.errors import Conflict, DomainError, NotFound
from tianmen_events.registry import (
    Hours,
    MaintenanceRecorded,
    NightWorkPermitIssued,
    RestrictedZoneDeclared,
    WorkSiteRegistered,
    ZoneKind,
)

from tianmen_registry.domain.enterprises import Enterprise
from tianmen_registry.domain.machine_state import Machine, Status
from tianmen_registry.domain.text import clean_text

LONGEST_PERMIT = timedelta(days=90)
Polygon = dict[str, Any]


@dataclass(frozen=True)
class RegisterSite:
    enterprise_id: str
    name: str
    boundary: Polygon
    jurisdiction_code: str
    permitted_hours: tuple[Hours, ...] = (Hours(start="06:00", end="22:00"),)
    actor: str | None = None


@dataclass(frozen=True)
class IssuePermit:
    site_id: str
    hours: Hours
    valid_from: datetime
    valid_until: datetime
    reason: str
    actor: str | None = None


@dataclass(frozen=True)
class DeclareZone:
    name: str
    kind: ZoneKind
    boundary: Polygon
    jurisdiction_code: str
    actor: str | None = None


@dataclass(frozen=True)
class RecordMaintenance:
    machine_id: str
    performed_on: date
    kind: str
    provider: str
    note: str = ""
    actor: str | None = None


def site_id_for(enterprise_id: str, name: str) -> str:
    return derive_id("site", enterprise_id, name.strip())


def decide_site(
    existing: bool, enterprise: Enterprise | None, cmd: RegisterSite
) -> list[DomainEvent]:
    if enterprise is None:
        raise DomainError(f"no enterprise {cmd.enterprise_id} is registered", field="enterprise_id")
    name = clean_text(cmd.name, "name", max_length=200)
    if existing:
        raise Conflict("the enterprise already has a site of this name", field="name")
    if not cmd.permitted_hours:
        raise DomainError("a site names its permitted hours", field="permitted_hours")
    return [
        WorkSiteRegistered(
            site_id=site_id_for(enterprise.enterprise_id, name),
            enterprise_id=enterprise.enterprise_id,
            name=name,
            jurisdiction_code=cmd.jurisdiction_code,
            boundary=cmd.boundary,
            permitted_hours=cmd.permitted_hours,
            actor=cmd.actor,
        )
    ]


def decide_permit(site: WorkSiteRegistered | None, cmd: IssuePermit) -> list[DomainEvent]:
    if site is None:
        raise NotFound(f"no work site {cmd.site_id}", field="site_id")
    if cmd.valid_from.tzinfo is None or cmd.valid_until.tzinfo is None:
        raise DomainError("validity needs a time zone", field="valid_from")
    if not cmd.valid_from < cmd.valid_until <= cmd.valid_from + LONGEST_PERMIT:
        raise DomainError("a permit ends after it starts, within 90 days", field="valid_until")
    reason = clean_text(cmd.reason, "reason", max_length=500)
    permit_id = derive_id("permit", site.site_id, cmd.valid_from.isoformat())
    return [
        NightWorkPermitIssued(
            site_id=site.site_id,
            permit_id=permit_id,
            enterprise_id=site.enterprise_id,
            hours=cmd.hours,
            valid_from=cmd.valid_from,
            valid_until=cmd.valid_until,
            reason=reason,
            actor=cmd.actor,
        )
    ]


def decide_zone(existing: bool, cmd: DeclareZone) -> list[DomainEvent]:
    name = clean_text(cmd.name, "name", max_length=200)
    if existing:
        return []
    zone_id = derive_id("zone", cmd.jurisdiction_code, name)
    return [
        RestrictedZoneDeclared(
            zone_id=zone_id,
            name=name,
            kind=cmd.kind,
            jurisdiction_code=cmd.jurisdiction_code,
            boundary=cmd.boundary,
            actor=cmd.actor,
        )
    ]


def decide_maintenance(machine: Machine | None, cmd: RecordMaintenance) -> list[DomainEvent]:
    if machine is None:
        raise NotFound(f"no machine {cmd.machine_id} is registered", field="machine_id")
    if machine.status is Status.DEREGISTERED:
        raise DomainError("the machine is deregistered", field="machine_id")
    return [
        MaintenanceRecorded(
            machine_id=machine.machine_id,
            enterprise_id=machine.enterprise_id,
            performed_on=cmd.performed_on,
            kind=clean_text(cmd.kind, "kind", max_length=50),
            provider=clean_text(cmd.provider, "provider", max_length=200),
            note=clean_text(cmd.note, "note", max_length=500, required=False),
            actor=cmd.actor,
        )
    ]
