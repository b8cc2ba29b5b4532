"""Telemetry's fleet queries on its HTTP edge: tracks, the AEMP snapshot, terminals online."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse
from tianmen_events.errors import DomainError
from tianmen_runtime.http import Clock, problems
from tianmen_runtime.pages import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor
from tianmen_runtime.service import Service

from tianmen_telemetry.adapters import fleet, tracks
from tianmen_telemetry.entrypoints.views import (
    AempSnapshot,
    Fleet,
    JurisdictionTerminals,
    TerminalCounts,
    TrackPoint,
    equipment_of,
)


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
