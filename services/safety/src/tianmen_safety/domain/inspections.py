"""Inspections of three kinds, as docket events: an enterprise's self-inspections (at least one
by 30 June and two by 31 December, Asia/Shanghai, else `SelfInspectionMissed` at the deadline),
joint spot checks (the departments, a finding per machine) and third-party tests of hoisting
machines (a passed test valid until a date; running out is `ThirdPartyTestLapsed` on the
docket, announced as `ThirdPartyTestExpired` to telemetry). Ids derive from what was inspected
and when, so the same inspection filed twice is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from tianmen_events import derive_id
from tianmen_events.errors import DomainError
from tianmen_events.safety import ThirdPartyTestExpired
from tianmen_events.safety.cases import docket_of
from tianmen_events.safety.inspections import (
    Department,
    SelfInspectionMissed,
    SelfInspectionRecorded,
    SpotCheckRecorded,
    SpotFinding,
    ThirdPartyTestLapsed,
    ThirdPartyTestRecorded,
)

SHANGHAI = timezone(timedelta(hours=8))
REQUIRED = ((7, 1), (13, 2))
"""(month after the deadline, self-inspections required by then): half-year 1, year 2."""


@dataclass(frozen=True)
class SelfInspection:
    enterprise_id: str
    inspected_at: datetime
    machine_ids: tuple[str, ...]
    findings: str = ""
    campaign_id: str | None = None


@dataclass(frozen=True)
class SpotCheck:
    enterprise_id: str
    inspected_at: datetime
    departments: tuple[Department, ...]
    findings: tuple[SpotFinding, ...]
    jurisdiction: str | None = None
    campaign_id: str | None = None


@dataclass(frozen=True)
class ThirdPartyTest:
    enterprise_id: str
    machine_id: str
    agency: str
    passed: bool
    certificate_number: str
    tested_at: datetime
    valid_until: datetime
    jurisdiction: str | None = None
    campaign_id: str | None = None


def record_self(found: SelfInspection, *, actor: str) -> SelfInspectionRecorded:
    if not found.machine_ids:
        raise DomainError("name the machines inspected", field="machine_ids")
    return SelfInspectionRecorded(
        **_common(found.enterprise_id, "self", found.inspected_at),
        inspected_at=found.inspected_at,
        machine_ids=list(found.machine_ids),
        findings=found.findings,
        campaign_id=found.campaign_id,
        actor=actor,
    )


def record_spot_check(check: SpotCheck, *, actor: str) -> SpotCheckRecorded:
    if not check.departments:
        raise DomainError("name the departments that took part", field="departments")
    machines = [finding.machine_id for finding in check.findings]
    if not machines or len(set(machines)) != len(machines):
        raise DomainError("one finding per machine checked", field="findings")
    return SpotCheckRecorded(
        **_common(check.enterprise_id, "spot", check.inspected_at),
        inspected_at=check.inspected_at,
        departments=sorted(set(check.departments)),
        findings=list(check.findings),
        jurisdiction=check.jurisdiction,
        campaign_id=check.campaign_id,
        actor=actor,
    )


def record_test(test: ThirdPartyTest, *, actor: str) -> ThirdPartyTestRecorded:
    if not test.agency.strip() or not test.certificate_number.strip():
        field = "agency" if not test.agency.strip() else "certificate_number"
        raise DomainError("an accredited agency and its certificate", field=field)
    if test.valid_until <= test.tested_at:
        raise DomainError("valid until a time after the test", field="valid_until")
    return ThirdPartyTestRecorded(
        docket_id=docket_of(test.enterprise_id),
        enterprise_id=test.enterprise_id,
        test_id=derive_id("test", test.machine_id, test.tested_at.isoformat()),
        **{k: v for k, v in vars(test).items() if k != "enterprise_id"},
        actor=actor,
    )


def _common(enterprise_id: str, kind: str, at: datetime) -> dict[str, str]:
    inspection_id = derive_id("inspection", kind, enterprise_id, at.isoformat())
    return {
        "docket_id": docket_of(enterprise_id),
        "enterprise_id": enterprise_id,
        "inspection_id": inspection_id,
    }


def deadlines(year: int) -> list[tuple[datetime, int]]:
    """The year's self-inspection deadlines and how many must be done by each."""
    return [
        (datetime(year + month // 13, month % 12 or 12, 1, tzinfo=SHANGHAI), required)
        for month, required in REQUIRED
    ]


def passed_by(now: datetime) -> list[tuple[int, datetime, int]]:
    """The two latest deadlines at or before `now`: (year, deadline, required)."""
    year = now.astimezone(SHANGHAI).year
    candidates = [(y, *d) for y in (year - 1, year) for d in deadlines(y)]
    return [c for c in candidates if c[1] <= now][-2:]


def missed(
    enterprise_id: str, year: int, deadline: datetime, required: int, done: int
) -> SelfInspectionMissed | None:
    if done >= required:
        return None
    return SelfInspectionMissed(
        docket_id=docket_of(enterprise_id),
        enterprise_id=enterprise_id,
        year=year,
        deadline=deadline,
        required=required,
        done=done,
    )


def lapse(test: ThirdPartyTestRecorded, now: datetime) -> ThirdPartyTestLapsed | None:
    """The lapse of a passed test by `now` (an event's time); a failed test never held."""
    if not test.passed or test.valid_until > now:
        return None
    return ThirdPartyTestLapsed(
        docket_id=test.docket_id,
        enterprise_id=test.enterprise_id,
        test_id=test.test_id,
        machine_id=test.machine_id,
        valid_until=test.valid_until,
    )


def announced(lapsed: ThirdPartyTestLapsed) -> ThirdPartyTestExpired:
    """What telemetry hears: the test expired at its `valid_until`."""
    return ThirdPartyTestExpired(
        enterprise_id=lapsed.enterprise_id,
        machine_id=lapsed.machine_id,
        test_id=lapsed.test_id,
        expired_at=lapsed.valid_until,
    )
