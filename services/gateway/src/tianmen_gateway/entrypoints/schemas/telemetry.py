"""Terminal reports, live terminal state and alerts (owned by telemetry)."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, Field
from tianmen_events.telemetry import AlertRaised


class TerminalReport(BaseModel):
    terminal_id: str
    reported_at: AwareDatetime = Field(description="ISO-8601 with offset")
    latitude: float = Field(description="WGS-84 degrees")
    longitude: float = Field(description="WGS-84 degrees")
    working: bool
    engine_hours: float | None = None
    fuel_level_pct: float | None = None


class ReportBatch(BaseModel):
    reports: list[TerminalReport]


class ReportsAccepted(BaseModel):
    accepted: int


class TerminalView(BaseModel):
    terminal_id: str
    machine_id: str
    enterprise_id: str
    last_report_at: datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    working: bool | None = None


class AlertList(BaseModel):
    alerts: list[AlertRaised] = Field(description="Alerts as telemetry raised them, newest first")
