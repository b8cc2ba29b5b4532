"""Delisting after a rectification period: an enterprise on the key-supervision list comes off
it once `delist_after_days` have passed since its listing and since its latest violation of
the cycle, with no new one. Decided by event time (a consumed batch's latest, like escalation)
and put on the docket (`KeySupervisionPeriodPassed`); the ledger delists when it comes back,
so replaying the docket delists at the same moment. The balance stays as it is: a violation
after delisting, the balance still at zero, lists it again (`ledger.record`). A period that
would end after the cycle does not delist: the listing ends with its cycle anyway.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tianmen_events.safety import KeySupervisionDelisted
from tianmen_events.safety.cases import docket_of
from tianmen_events.safety.inspections import KeySupervisionPeriodPassed

from tianmen_safety.domain.ledger import Cycle
from tianmen_safety.domain.rules import PointsRules


def period_passed(
    enterprise_id: str,
    cycle: Cycle,
    *,
    listed_at: datetime,
    last_violation_at: datetime,
    now: datetime,
    rules: PointsRules,
) -> KeySupervisionPeriodPassed | None:
    """The period's end `now` (an event's time) has reached, for a listed cycle; else None."""
    ends = max(listed_at, last_violation_at) + timedelta(days=rules.delist_after_days)
    if not cycle.key_supervision or ends > now or ends >= rules.cycle_end(cycle.year):
        return None
    return KeySupervisionPeriodPassed(
        docket_id=docket_of(enterprise_id),
        enterprise_id=enterprise_id,
        cycle_year=cycle.year,
        ended_at=ends,
        rule_version=rules.version,
    )


def delist(
    cycle: Cycle | None,
    passed: KeySupervisionPeriodPassed,
    *,
    last_violation_at: datetime | None,
    rules: PointsRules,
) -> KeySupervisionDelisted | None:
    """The delisting a passed period gives, if the cycle is still listed and no violation came
    while the period was on the docket (a later one starts a new period: nothing now)."""
    if cycle is None or not cycle.key_supervision:
        return None
    quiet_since = passed.ended_at - timedelta(days=rules.delist_after_days)
    if last_violation_at is not None and last_violation_at > quiet_since:
        return None
    return KeySupervisionDelisted(
        enterprise_id=passed.enterprise_id,
        cycle_year=passed.cycle_year,
        balance=cycle.balance,
        rule_version=passed.rule_version,
        delisted_at=passed.ended_at,
    )
