"""The HTTP contract of telemetry (docs/service-contracts.md, telemetry); the gateway uses it.

Alerts are listed as the AlertRaised event contract itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    Field,
    StrictBool,
    StrictFloat,
    StringConstraints,
)
from pydantic.types import Strict
from tianmen_events.registry import TERMINAL_ID_PATTERN
from tianmen_events.telemetry import TerminalAlarm
from tianmen_runtime.http import problems

from tianmen_telemetry.domain.commands import Report, SubmitReports

TerminalId = Annotated[
    str,
    StringConstraints(pattern=TERMINAL_ID_PATTERN),
    Field(description="JT/T 808 terminal id: 11 to 20 digits"),
]
MAX_BATCH = 1000
MAX_MILEAGE_KM = 429_496_729.5  # JT/T 808's DWORD of 1/10 km at its largest


def _iso_text(value: object) -> object:
    """A timestamp is ISO-8601 text: a number (seconds? milliseconds? since when?) is refused."""
    if not isinstance(value, str | datetime):
        raise ValueError("must be ISO-8601 text with an offset, e.g. 2026-05-11T23:30:00+08:00")
    return value


# Parsed strictly: "yes" is not a boolean, "30.6" not a number, 1778513400 not a timestamp.
IsoTimestamp = Annotated[AwareDatetime, BeforeValidator(_iso_text)]
Quantity = Annotated[StrictFloat, Field(ge=0)]


class ReportIn(BaseModel):
    terminal_id: Annotated[TerminalId, Strict()]
    reported_at: IsoTimestamp = Field(
        description="ISO-8601 with offset; at most 7 days old (terminals buffer out of "
        "coverage) and 10 minutes ahead (settings REPORT_MAX_AGE, REPORT_MAX_AHEAD)"
    )
    latitude: StrictFloat = Field(ge=-90, le=90, description="WGS-84")
    longitude: StrictFloat = Field(ge=-180, le=180, description="WGS-84")
    working: StrictBool
    engine_hours: Quantity | None = None
    fuel_level_pct: Quantity | None = Field(default=None, le=100)
    alarms: tuple[TerminalAlarm, ...] = Field(
        default=(), description="Tamper alarms set: power_cut, antenna_cut, cover_opened"
    )
    engine_number: Annotated[str, Strict(), Field(min_length=1, max_length=64)] | None = Field(
        default=None,
        description="The engine number the ECU reports (checked against the register: a "
        "different one raises suspected_illegal_modification)",
    )
    mileage_km: Quantity | None = Field(
        default=None,
        le=MAX_MILEAGE_KM,
        description="The terminal's odometer in km (JT/T 808 item 0x01: a DWORD of 1/10 km); "
        "the fleet snapshot's Distance",
    )

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


class FindingView(BaseModel):
    report_id: str
    machine_id: str
    enterprise_id: str
    terminal_id: str
    finding: str = Field(description="e.g. position_outside_area (0,0 included)")
    observed_at: datetime
    latitude: float
    longitude: float
    detail: str


class FindingList(BaseModel):
    findings: list[FindingView]


REPORT_RESPONSES = problems(
    422,
    503,
    **{
        "422": "Nothing accepted; `errors[].field` names each report at fault "
        '(`reports.<i>.<field>`): a field that is not strictly its type (`"yes"` for '
        "`working`, a number for `reported_at`); a terminal bound to no machine now, or at "
        "`reported_at`, after the bounded wait for a binding in flight; `reported_at` older "
        "than the acceptance window or too far ahead; two reports of one terminal at one "
        "instant that differ.",
        "503": "The broker did not confirm every report: retrying the batch is safe",
    },
)


# The query views, defined beside this module and published from here (the gateway imports a
# service's contract from its `entrypoints.schemas` only).
from tianmen_telemetry.entrypoints.views import (  # noqa: E402
    AempSnapshot as AempSnapshot,
)
from tianmen_telemetry.entrypoints.views import (  # noqa: E402
    DayUsageView as DayUsageView,
)
from tianmen_telemetry.entrypoints.views import (  # noqa: E402
    JurisdictionTerminals as JurisdictionTerminals,
)
from tianmen_telemetry.entrypoints.views import (  # noqa: E402
    MachineUsage as MachineUsage,
)
from tianmen_telemetry.entrypoints.views import (  # noqa: E402
    TerminalCounts as TerminalCounts,
)
from tianmen_telemetry.entrypoints.views import (  # noqa: E402
    TrackPoint as TrackPoint,
)
