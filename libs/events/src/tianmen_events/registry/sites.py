"""Work sites (boundary, permitted hours), night-work permits, restricted zones, maintenance.

Boundaries are GeoJSON polygons in WGS-84 (longitude, latitude), as terminals report; telemetry's
rules consume these events to judge where and when a machine may work.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tianmen_events.base import DomainEvent
from tianmen_events.catalog import event
from tianmen_events.instants import Instant
from tianmen_events.topics import REGISTRY_MACHINE, REGISTRY_SITE

GeoJsonPolygon = dict[str, Any]


class Hours(BaseModel):
    """A daily window in China time, "HH:MM"; `end` before `start` runs past midnight."""

    model_config = ConfigDict(frozen=True)

    start: str = Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    end: str = Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


class ZoneKind(StrEnum):
    SCHOOL = "school"
    WATER_SOURCE = "water_source"
    HOSPITAL = "hospital"
    RESIDENTIAL = "residential"
    OTHER = "other"


@event
class WorkSiteRegistered(DomainEvent):
    type = "tianmen.registry.work_site_registered"
    topic = REGISTRY_SITE.name
    subject = "site_id"

    site_id: str
    enterprise_id: str
    name: str
    jurisdiction_code: str
    boundary: GeoJsonPolygon = Field(description="GeoJSON Polygon, WGS-84")
    permitted_hours: tuple[Hours, ...]
    actor: str | None = None


@event
class NightWorkPermitIssued(DomainEvent):
    type = "tianmen.registry.night_work_permit_issued"
    topic = REGISTRY_SITE.name
    subject = "site_id"

    site_id: str
    permit_id: str
    enterprise_id: str
    hours: Hours
    valid_from: Instant
    valid_until: Instant
    reason: str
    actor: str | None = None


@event
class RestrictedZoneDeclared(DomainEvent):
    """A place machines may not work in (school, water source…); keyed by its own zone id."""

    type = "tianmen.registry.restricted_zone_declared"
    topic = REGISTRY_SITE.name
    subject = "zone_id"

    zone_id: str
    name: str
    kind: ZoneKind
    jurisdiction_code: str
    boundary: GeoJsonPolygon
    actor: str | None = None


@event
class MaintenanceRecorded(DomainEvent):
    type = "tianmen.registry.maintenance_recorded"
    topic = REGISTRY_MACHINE.name
    subject = "machine_id"

    machine_id: str
    enterprise_id: str
    performed_on: date
    kind: str = Field(description="routine, repair, overhaul, inspection…")
    provider: str
    note: str = ""
    actor: str | None = None
