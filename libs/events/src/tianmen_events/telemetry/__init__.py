"""Events produced by telemetry: raw terminal reports and the alerts its rules raise."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from tianmen_events.base import DomainEvent
from tianmen_events.catalog import event
from tianmen_events.codes import AlertRule, wire_enum
from tianmen_events.instants import Instant
from tianmen_events.topics import TELEMETRY_ALERT, TELEMETRY_REPORT


class TerminalAlarm(StrEnum):
    """Tamper alarms a terminal raises (JT/T 808 alarm bits 8 power cut and 5 GNSS antenna
    cut; cover opened is a vendor's extended alarm)."""

    POWER_CUT = "power_cut"
    ANTENNA_CUT = "antenna_cut"
    COVER_OPENED = "cover_opened"


@event
class TerminalReported(DomainEvent):
    """One accepted terminal report (position in WGS-84, as JT/T 808 terminals send it)."""

    type = "tianmen.telemetry.terminal_reported"
    topic = TELEMETRY_REPORT.name
    subject = "machine_id"

    report_id: str
    terminal_id: str
    machine_id: str
    enterprise_id: str
    reported_at: Instant
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    working: bool
    engine_hours: float | None = None
    fuel_level_pct: float | None = None
    # Added without a version bump: it has a default, so older reports still decode.
    alarms: tuple[TerminalAlarm, ...] = Field(default=(), description="Tamper alarms set")
    engine_number: str | None = Field(
        default=None, description="The engine number the machine's ECU reports, when it does"
    )
    mileage_km: float | None = Field(
        default=None,
        ge=0,
        description="The terminal's odometer in km (JT/T 808 item 0x01), when it gives one",
    )


class Fix(BaseModel):
    """One report an alert rests on: when and where the terminal was, and whether it worked."""

    model_config = ConfigDict(frozen=True)

    report_id: str
    reported_at: Instant
    latitude: float
    longitude: float
    working: bool


@event
class AlertRaised(DomainEvent):
    type = "tianmen.telemetry.alert_raised"
    topic = TELEMETRY_ALERT.name
    subject = "enterprise_id"

    alert_id: str
    enterprise_id: str
    machine_id: str
    terminal_id: str
    rule: Annotated[AlertRule, wire_enum(AlertRule, "Rule that fired, e.g. night_work")]
    rule_version: str
    observed_at: Instant
    latitude: float
    longitude: float
    detail: str
    # Added without a version bump: both have defaults, so older alerts still decode.
    evidence: tuple[Fix, ...] = Field(
        default=(), description="The reports that made the rule fire, oldest first"
    )
    jurisdiction: str | None = Field(
        default=None, description="The machine's jurisdiction, when the registry gives one"
    )


class BindingEnded(BaseModel):
    """The registry's event that took a terminal off the machine (an explicit unbind, or the
    terminal bound to another machine): the evidence of an alert cleared because the machine,
    left with no terminal, is no longer heard (decision 99)."""

    model_config = ConfigDict(frozen=True)

    event_id: str = Field(description="The registry event (`TerminalUnbound`, `TerminalBound`)")
    ended_at: Instant = Field(description="Its event time: the end of the terminal's period")
    terminal_id: str
    to_machine_id: str | None = Field(
        default=None, description="The machine the terminal was bound to; None: unbound"
    )


@event
class AlertCleared(DomainEvent):
    """An open alert's episode is over: a newer report no longer shows what raised it, the
    same rule began a new episode for the machine, or the machine's terminal was taken off it
    (unbound or bound to another machine: `binding`, and no report as evidence). At most one
    alert per machine and rule is open; it is open from its `AlertRaised` until this event."""

    type = "tianmen.telemetry.alert_cleared"
    topic = TELEMETRY_ALERT.name
    subject = "enterprise_id"

    alert_id: str = Field(description="The alert that cleared")
    enterprise_id: str = Field(description="The enterprise the alert was raised against")
    machine_id: str
    rule: Annotated[AlertRule, wire_enum(AlertRule, "Rule of the alert that cleared")]
    rule_version: str
    cleared_at: Instant = Field(
        description="Time of the report that cleared it, or of the binding's end"
    )
    detail: str
    evidence: tuple[Fix, ...] = Field(default=(), description="The report that cleared it")
    jurisdiction: str | None = None
    # Added without a version bump: it has a default, so older clearings still decode.
    binding: BindingEnded | None = Field(
        default=None,
        description="The binding's end that cleared it, when no report did (decision 99)",
    )


class TextOutcome(StrEnum):
    """What became of a text message to a terminal (0x8300 and its 0x0001 answer)."""

    SHOWN = "shown"  # answered 0 (success)
    REFUSED = "refused"  # answered 1 (failure), 2 (message error) or 3 (not supported)
    OFFLINE = "offline"  # the terminal was not logged in, or left before answering
    TIMEOUT = "timeout"  # no answer in time
    NO_TERMINAL = "no_terminal"  # no terminal bound to the machine


@event
class StopUseTextDelivered(DomainEvent):
    """A stop-use order sent to the machine's terminal as a text message (0x8300, shown and
    read aloud), with the terminal's answer: the order reached the cab, or why it did not."""

    type = "tianmen.telemetry.stop_use_text_delivered"
    topic = TELEMETRY_ALERT.name
    subject = "enterprise_id"

    order_id: str
    enterprise_id: str
    machine_id: str
    terminal_id: str | None
    text: str
    outcome: TextOutcome
    result: int | None = Field(description="The terminal's 0x0001 result, if it answered")
    sent_at: Instant
