"""Inspections, campaigns and accidents (topic `safety.case`, on the enterprise's docket like
its cases and orders; a campaign on its own docket `campaign:<id>`).

Three kinds of inspection: an enterprise's self-inspection (at least two a year; a missing one
is `SelfInspectionMissed` after the half-year and the year deadline, decided by event time), a
joint spot check by departments, and a third-party test of a hoisting machine by an accredited
agency. A test running out is `ThirdPartyTestLapsed` on the docket, from which safety derives
`ThirdPartyTestExpired` on `safety.enterprise` (telemetry consumes it).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field

from tianmen_events.base import DomainEvent
from tianmen_events.catalog import event
from tianmen_events.codes import wire_enum
from tianmen_events.instants import Instant
from tianmen_events.registry.machines import MachineKind
from tianmen_events.topics import SAFETY_CASE


class Department(StrEnum):
    EMERGENCY_MANAGEMENT = "emergency_management"
    HOUSING_AND_CONSTRUCTION = "housing_and_construction"
    TRANSPORT = "transport"


class AccidentSeverity(StrEnum):
    """The State Council's four grades (生产安全事故报告和调查处理条例)."""

    GENERAL = "general"
    LARGER = "larger"
    MAJOR = "major"
    ESPECIALLY_MAJOR = "especially_major"


class _DocketEvent(DomainEvent):
    topic = SAFETY_CASE.name
    subject = "docket_id"

    docket_id: str
    enterprise_id: str


@event
class SelfInspectionRecorded(_DocketEvent):
    """The enterprise inspected its own machines (自查)."""

    type = "tianmen.safety.self_inspection_recorded"

    inspection_id: str
    inspected_at: Instant
    machine_ids: list[str]
    findings: str = ""
    campaign_id: str | None = None
    actor: str


@event
class SelfInspectionMissed(_DocketEvent):
    """A deadline passed (30 June, 31 December, Asia/Shanghai) with fewer self-inspections
    that year than required by then (one, two)."""

    type = "tianmen.safety.self_inspection_missed"

    year: int
    deadline: Instant
    required: int
    done: int


class SpotFinding(BaseModel):
    machine_id: str = Field(min_length=1, max_length=64)
    passed: bool
    note: str = Field(default="", max_length=400)


@event
class SpotCheckRecorded(_DocketEvent):
    """A joint spot check (联合抽查) of the enterprise's machines: which departments took part,
    a finding per machine (a failed one may file a hazard naming this inspection)."""

    type = "tianmen.safety.spot_check_recorded"

    inspection_id: str
    inspected_at: Instant
    departments: list[Department]
    findings: list[SpotFinding]
    jurisdiction: str | None = None
    campaign_id: str | None = None
    actor: str


@event
class ThirdPartyTestRecorded(_DocketEvent):
    """An accredited agency's annual test (检验检测) of a hoisting machine."""

    type = "tianmen.safety.third_party_test_recorded"

    test_id: str
    machine_id: str
    agency: str
    passed: bool
    certificate_number: str
    tested_at: Instant
    valid_until: Instant
    jurisdiction: str | None = None
    campaign_id: str | None = None
    actor: str


@event
class ThirdPartyTestLapsed(_DocketEvent):
    """The machine's latest passed test ran out with no newer one (decided by event time)."""

    type = "tianmen.safety.third_party_test_lapsed"

    test_id: str
    machine_id: str
    valid_until: Instant


@event
class AccidentRecorded(_DocketEvent):
    type = "tianmen.safety.accident_recorded"

    accident_id: str
    machine_id: str
    occurred_at: Instant
    severity: Annotated[AccidentSeverity, wire_enum(AccidentSeverity, "The accident's grade")]
    deaths: int = Field(ge=0)
    injuries: int = Field(ge=0)
    description: str
    jurisdiction: str | None = None
    actor: str


@event
class CampaignLaunched(DomainEvent):
    """A special inspection drive (专项整治): scope, period and the checklist it works to."""

    type = "tianmen.safety.campaign_launched"
    topic = SAFETY_CASE.name
    subject = "docket_id"

    docket_id: str
    campaign_id: str
    title: str
    jurisdictions: list[str]
    categories: list[Annotated[MachineKind, wire_enum(MachineKind, "A machine kind in scope")]]
    starts_at: Instant
    ends_at: Instant
    checklist_version: str
    actor: str


def campaign_docket(campaign_id: str) -> str:
    return f"campaign:{campaign_id}"


@event
class KeySupervisionPeriodPassed(_DocketEvent):
    """An enterprise on the key-supervision list went a rectification period without a new
    violation (decided by event time, at `ended_at`); safety's ledger delists it when this
    comes back (`KeySupervisionDelisted`), so a replay of the docket delists the same."""

    type = "tianmen.safety.key_supervision_period_passed"

    cycle_year: int
    ended_at: Instant
    rule_version: str
