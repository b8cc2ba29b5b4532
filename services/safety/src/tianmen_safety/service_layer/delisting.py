"""Each consumed batch's latest event time puts on the docket the rectification periods on the
key-supervision list that passed without a new violation (`domain/delisting.py`); when one
comes back, the ledger delists the enterprise."""

from __future__ import annotations

from datetime import datetime, timedelta

from tianmen_events.safety.inspections import KeySupervisionPeriodPassed
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_safety.adapters import case_rows, listings
from tianmen_safety.adapters.projections import SafetyRows
from tianmen_safety.domain import delisting
from tianmen_safety.domain.rules import PointsRules
from tianmen_safety.service_layer import on_time

LISTINGS_PER_TICK = 1000
"""A bound on the listings one tick looks at (the list is short: tens, not thousands)."""


def tick_delisting(uow: UnitOfWork, now: datetime, rules: PointsRules) -> None:
    before = now - timedelta(days=rules.delist_after_days)
    rows = uow.part(SafetyRows, SafetyRows)
    for enterprise_id, year, listed_at in listings.quiet(uow.conn, before, LISTINGS_PER_TICK):
        cycle = rows.ledger(enterprise_id).cycle(year)
        last = listings.last_violation_at(uow.conn, enterprise_id, year) or listed_at
        passed = None if cycle is None else delisting.period_passed(
            enterprise_id, cycle, listed_at=listed_at, last_violation_at=last,
            now=now, rules=rules,
        )  # fmt: skip
        if passed is None or _in_flight(uow, passed):
            continue
        if not on_time.caught_up(uow, passed.docket_id, passed.ended_at):
            continue
        on_time.to_docket(uow, passed, passed.ended_at, "delisting", enterprise_id, str(year))


def _in_flight(uow: UnitOfWork, passed: KeySupervisionPeriodPassed) -> bool:
    """Already on the docket, not yet back: the next tick must not put it there again."""
    return any(
        isinstance(e, KeySupervisionPeriodPassed) and e.cycle_year == passed.cycle_year
        for e in case_rows.in_flight(uow.conn, passed.docket_id)
    )
