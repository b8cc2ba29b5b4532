"""Telemetry's fleet queries on its HTTP edge: tracks, the AEMP snapshot, terminals online."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse
from tianmen_events.errors import DomainError
from tianmen_runtime.http import Clock, problems
from tianmen_runtime.pages import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor
from tianmen_runtime.service import Service

from tianmen_telemetry.adapters import fleet, tracks, usage_days
from tianmen_telemetry.domain.usage import local_day
from tianmen_telemetry.entrypoints.views import (
    AempSnapshot,
    Fleet,
    JurisdictionTerminals,
    MachineUsage,
    TerminalCounts,
    TrackPoint,
    day_usage_of,
    equipment_of,
)

# The most days one usage request spans (a year, leap or not): a row a day, bounded.
MAX_USAGE_DAYS = 366


def add_fleet_routes(app: FastAPI, service: Service, clock: Clock) -> None:
    @app.get("/machines/{machine_id}/track", responses=problems(422))
    def get_track(
        machine_id: str,
        since: Annotated[datetime | None, Query(alias="from")] = None,
        until: Annotated[datetime | None, Query(alias="to")] = None,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> Page[TrackPoint]:
        """The machine's positions in [from, to), oldest first, a page at a time; `to`
        defaults to now and `from` to a day before `to`."""
        until = until or clock()
        since = since or until - timedelta(days=1)
        _check_range(since, until)
        key = decode_cursor(cursor, (str,)) if cursor else None
        items, next_cursor = tracks.track_page(service.engine, machine_id, since, until, key, limit)
        return Page[TrackPoint].model_validate({"items": items, "next_cursor": next_cursor})

    @app.get("/machines/{machine_id}/usage", responses=problems(422))
    def get_usage(
        machine_id: str,
        first: Annotated[date | None, Query(alias="from")] = None,
        last: Annotated[date | None, Query(alias="to")] = None,
    ) -> MachineUsage:
        """The machine's usage per local day (Asia/Shanghai) from `from` to `to`, both
        included, at most 366 days; `to` defaults to today, `from` to six days before `to`."""
        last = last or local_day(clock())
        first = first or last - timedelta(days=6)
        _check_days(first, last)
        rows = usage_days.days_of(service.engine, machine_id, first, last)
        days = [day_usage_of(row) for row in rows]
        return MachineUsage(machine_id=machine_id, from_=first, to=last, days=days)

    @app.get("/enterprises/{enterprise_id}/fleet", response_model=AempSnapshot)
    def get_fleet(enterprise_id: str) -> JSONResponse:
        """The enterprise's machines as an ISO 15143-3 (AEMP 2.0) fleet snapshot."""
        equipment = [equipment_of(row) for row in fleet.fleet_of(service.engine, enterprise_id)]
        snapshot_time = clock().astimezone(UTC)
        snapshot = AempSnapshot(fleet=Fleet(snapshot_time=snapshot_time, equipment=equipment))
        return JSONResponse(snapshot.model_dump(mode="json", by_alias=True, exclude_none=True))

    @app.get("/terminal-status")
    def get_terminals_online() -> TerminalCounts:
        """Bound terminals online (reported in the last 10 minutes) and offline, per
        jurisdiction of their machine."""
        now = clock()
        rows = fleet.terminals_online(service.engine, now)
        return TerminalCounts(
            as_of=now,
            online_window_s=int(fleet.ONLINE_WINDOW.total_seconds()),
            jurisdictions=[JurisdictionTerminals(**row) for row in rows],
        )


class BadRange(DomainError):
    code = "invalid-range"


def _check_range(since: datetime, until: datetime) -> None:
    if since.tzinfo is None or until.tzinfo is None:
        raise BadRange("from and to need a UTC offset", field="from")
    if until <= since:
        raise BadRange("to must be after from", field="to")


def _check_days(first: date, last: date) -> None:
    if last < first:
        raise BadRange("to must not be before from", field="to")
    if (last - first).days >= MAX_USAGE_DAYS:
        raise BadRange(f"from and to span more than {MAX_USAGE_DAYS} days", field="from")
