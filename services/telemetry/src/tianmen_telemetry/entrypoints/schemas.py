"""The HTTP contract of telemetry (docs/service-contracts.md, telemetry); the gateway uses it.

Alerts are listed as the AlertRaised event contract itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints
from tianmen_events.registry import TERMINAL_ID_PATTERN

from tianmen_telemetry.domain.commands import Report, SubmitReports

TerminalId = Annotated[
    str,
    StringConstraints(pattern=TERMINAL_ID_PATTERN),
    Field(description="JT/T 808 terminal id: 11 to 20 digits"),
]
MAX_BATCH = 1000


class ReportIn(BaseModel):
    terminal_id: TerminalId
    reported_at: AwareDatetime = Field(description="ISO-8601 with offset")
    latitude: float = Field(ge=-90, le=90, description="WGS-84")
    longitude: float = Field(ge=-180, le=180, description="WGS-84")
    working: bool
    engine_hours: float | None = Field(default=None, ge=0)
    fuel_level_pct: float | None = Field(default=None, ge=0, le=100)

    def to_domain(self) -> Report:
        return Report(**self.model_dump())


class ReportBatch(BaseModel):
    reports: list[ReportIn] = Field(min_length=1, max_length=MAX_BATCH)

    def to_command(self) -> SubmitReports:
        return SubmitReports(tuple(r.to_domain() for r in self.reports))


class Accepted(BaseModel):
    accepted: int


class TerminalView(BaseModel):
    terminal_id: str
    machine_id: str
    enterprise_id: str
    last_report_at: datetime | None
    latitude: float | None
    longitude: float | None
    working: bool | None
