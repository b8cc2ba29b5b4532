"""Bulk import of an existing register (CSV or XLSX) with a per-row report."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from tianmen_events.errors import DomainError
from tianmen_runtime.http import Clock, problems
from tianmen_runtime.service import Service

from tianmen_registry.adapters import tabular
from tianmen_registry.domain.import_rows import missing_columns
from tianmen_registry.entrypoints.views import ImportReport
from tianmen_registry.service_layer.bulk_import import import_rows

MAX_FILE = 50 * 1024 * 1024


def routes(service: Service, clock: Clock) -> APIRouter:
    router = APIRouter(tags=["imports"])

    @router.post("/imports/machines", response_model=ImportReport, responses=problems(422))
    async def import_machines(request: Request) -> dict[str, Any]:
        """The file as the body (CSV in UTF-8, or XLSX). Columns: uscc, enterprise_name, kind,
        brand, model, serial_number and optionally jurisdiction_code, engine_number,
        manufacture_date, rated_power_kw, emission_stage, power_type, environmental_code,
        crane_filing_number. Rerunning the same file creates nothing twice."""
        content = await request.body()
        if len(content) > MAX_FILE:
            raise DomainError(f"at most {MAX_FILE} bytes", field="file")
        rows = list(tabular.rows(content))
        missing = missing_columns(set(rows[0][1]) if rows else set())
        if missing:
            raise DomainError(f"missing columns: {', '.join(missing)}", field="file")
        report = import_rows(service.engine, service.source, rows, clock())
        return {
            "rows": report.rows,
            "created": report.created,
            "unchanged": report.unchanged,
            "refused": report.refused,
        }

    return router
