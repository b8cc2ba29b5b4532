"""Telemetry's HTTP edge: report ingest (202 once durable), terminal state and alerts."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import FastAPI, Query, Request, Response
from tianmen_events.errors import NotFound
from tianmen_events.telemetry import AlertRaised
from tianmen_runtime.http import Clock, FieldError, create_app, problem, problems, wall_clock
from tianmen_runtime.pages import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor
from tianmen_runtime.service import Service

from tianmen_telemetry.adapters import queries
from tianmen_telemetry.adapters.patient_lookup import PatientLookup
from tianmen_telemetry.config import Settings
from tianmen_telemetry.domain.ingest import RefusedReports
from tianmen_telemetry.entrypoints.fleet_routes import add_fleet_routes
from tianmen_telemetry.entrypoints.schemas import (
    REPORT_RESPONSES,
    Accepted,
    FindingList,
    FindingView,
    ReportBatch,
    TerminalView,
)
from tianmen_telemetry.service_layer.handlers import submit_reports
from tianmen_telemetry.service_layer.ports import ReportSink, SinkUnavailable


def build_api(service: Service, sink: ReportSink, *, clock: Clock = wall_clock) -> FastAPI:
    app = create_app("Tianmen telemetry", ready=service.ready.is_set, digest=service.digest)
    app.add_exception_handler(RefusedReports, _refused_reports)
    app.add_exception_handler(SinkUnavailable, _sink_unavailable)

    settings = _telemetry_settings(service)
    window = settings.acceptance_window()
    lookup = PatientLookup(partial(queries.bindings_for, service.engine), settings.binding_wait)

    @app.post("/reports", status_code=202, responses=REPORT_RESPONSES)
    def post_reports(batch: ReportBatch) -> Accepted:
        """A terminal bound a moment ago is waited for (up to BINDING_WAIT seconds, 3 by
        default) while its binding reaches telemetry, so a report sent right after the bind
        is accepted; the same report twice in a batch is accepted once."""
        accepted = submit_reports(batch.to_command(), lookup, sink, now=clock(), window=window)
        return Accepted(accepted=accepted)

    @app.get("/terminals/{terminal_id}", responses=problems(404))
    def get_terminal(terminal_id: str) -> TerminalView:
        view = queries.terminal_view(service.engine, terminal_id)
        if view is None:
            raise NotFound(
                f"terminal {terminal_id} is not bound to any machine", field="terminal_id"
            )
        return TerminalView(**view)

    @app.get("/alerts", responses=problems(422))
    def list_alerts(
        enterprise_id: str | None = None,
        machine_id: str | None = None,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> Page[AlertRaised]:
        """Alerts as telemetry raised them, newest first, a page at a time."""
        key = decode_cursor(cursor, (str, str)) if cursor else None
        items, next_cursor = queries.alert_page(
            service.engine, enterprise_id, machine_id, key, limit
        )
        return Page[AlertRaised].model_validate({"items": items, "next_cursor": next_cursor})

    @app.get("/findings")
    def get_findings(
        machine_id: str | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> FindingList:
        """Reports set aside as data-quality findings (not positions), newest first."""
        rows = queries.list_findings(service.engine, machine_id, limit)
        return FindingList(findings=[FindingView(**row) for row in rows])

    add_fleet_routes(app, service, clock)
    return app


def _telemetry_settings(service: Service) -> Settings:
    if isinstance(service.settings, Settings):
        return service.settings
    return Settings(**service.settings.model_dump())


async def _refused_reports(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RefusedReports)
    errors = [FieldError(field=field, message=exc.reason) for field in exc.fields]
    return problem(422, exc.title, exc.detail, errors=errors)


async def _sink_unavailable(_: Request, exc: Exception) -> Response:
    # Some reports may have been acknowledged before the failure: the batch is unconfirmed, not
    # refused. Report ids are derived from terminal and instant, so resending it is harmless.
    detail = (
        f"{exc}; the batch was not confirmed (some reports may have been stored): "
        "retrying it is safe, reports are idempotent by report id"
    )
    return problem(503, "Reports not confirmed", detail)
