"""The enterprise safety-points ledger: state folded from its own events, and `decide`.

Each calendar year (in the rules' time zone) is a cycle that starts at the initial points; a
violation deducts from the cycle its `occurred_at` falls in, so a late alert about last
December still lands in last year's cycle. Suspension and listing happen at most once a cycle.

The ledger is small whatever the enterprise's history (a cycle per year): the service keeps it
as rows and applies each new event to it; which violations were already recorded is a question
`decide` asks of a container (`recorded`), answered by an indexed look-up, not a set in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache, singledispatch
from typing import NamedTuple

from tianmen_events import DomainEvent, derive_id
from tianmen_events.codes import ViolationCode
from tianmen_events.frozen import assembled
from tianmen_events.safety import (
    BiddingSuspended,
    BiddingSuspensionLifted,
    KeySupervisionDelisted,
    KeySupervisionListed,
    PointsDeducted,
    PointsRestored,
    ViolationRecorded,
)
from tianmen_events.telemetry import AlertRaised

from tianmen_safety.domain.built import built
from tianmen_safety.domain.rules import PointsRules


@dataclass(frozen=True)
class Cycle:
    year: int
    balance: int
    bidding_suspended: bool = False
    key_supervision: bool = False


@dataclass(frozen=True)
class Ledger:
    enterprise_id: str
    cycles: tuple[Cycle, ...] = ()

    def cycle(self, year: int) -> Cycle | None:
        for cycle in self.cycles:  # a loop, not next() over a generator: asked per violation
            if cycle.year == year:
                return cycle
        return None

    def with_cycle(self, cycle: Cycle) -> Ledger:
        if len(self.cycles) == 1 and self.cycles[0].year == cycle.year:  # one year's ledger
            # built when it is a plain Ledger (`replace` costs several times more per event)
            if type(self) is Ledger:
                return assembled(Ledger, {"enterprise_id": self.enterprise_id, "cycles": (cycle,)})
            return replace(self, cycles=(cycle,))  # a subclass keeps its own fields
        others = tuple(c for c in self.cycles if c.year != cycle.year)
        return replace(self, cycles=tuple(sorted((*others, cycle), key=lambda c: c.year)))


def evolve(state: Ledger, event: DomainEvent) -> Ledger:
    """Apply one of the ledger's own events; never raises (unknown events change nothing)."""
    step = _STEPS.get(type(event))
    if step is None:
        step = _STEPS[type(event)] = _evolve.dispatch(type(event))
    return step(event, state)


@singledispatch
def _evolve(event: DomainEvent, state: Ledger) -> Ledger:
    return state


_STEPS: dict[type, Callable[[DomainEvent, Ledger], Ledger]] = {}
"""`_evolve`'s implementation for each exact type met, a dict's look-up instead of
`singledispatch`'s wrapper and weak-keyed cache (two events a confirmation, ~0.5 us each).
Every implementation is registered at import, before any is looked up here."""


@_evolve.register
def _points_deducted(event: PointsDeducted, state: Ledger) -> Ledger:
    return state.with_cycle(
        _balanced(state.cycle(event.cycle_year), event.cycle_year, event.balance_after)
    )


@_evolve.register
def _points_restored(event: PointsRestored, state: Ledger) -> Ledger:
    return state.with_cycle(
        _balanced(state.cycle(event.cycle_year), event.cycle_year, event.balance_after)
    )


def _balanced(cycle: Cycle | None, year: int, balance: int) -> Cycle:
    """The cycle with a new balance (built, not `replace`d: once per deduction or restoration)."""
    suspended = listed = False
    if cycle is not None:
        suspended, listed = cycle.bidding_suspended, cycle.key_supervision
    return assembled(  # every field, in order (`tianmen_events.frozen`)
        Cycle,
        {
            "year": year,
            "balance": balance,
            "bidding_suspended": suspended,
            "key_supervision": listed,
        },
    )


@_evolve.register
def _bidding_suspension_lifted(event: BiddingSuspensionLifted, state: Ledger) -> Ledger:
    cycle = state.cycle(event.cycle_year) or Cycle(event.cycle_year, event.balance)
    return state.with_cycle(replace(cycle, bidding_suspended=False))


@_evolve.register
def _key_supervision_delisted(event: KeySupervisionDelisted, state: Ledger) -> Ledger:
    cycle = state.cycle(event.cycle_year) or Cycle(event.cycle_year, event.balance)
    return state.with_cycle(replace(cycle, key_supervision=False))


@_evolve.register
def _bidding_suspended(event: BiddingSuspended, state: Ledger) -> Ledger:
    cycle = state.cycle(event.cycle_year) or Cycle(event.cycle_year, event.balance)
    return state.with_cycle(replace(cycle, bidding_suspended=True))


@_evolve.register
def _key_supervision_listed(event: KeySupervisionListed, state: Ledger) -> Ledger:
    cycle = state.cycle(event.cycle_year) or Cycle(event.cycle_year, 0)
    return state.with_cycle(replace(cycle, key_supervision=True))


def fold(enterprise_id: str, events: Iterable[DomainEvent], state: Ledger | None = None) -> Ledger:
    """The ledger after `events`, from `state` (a snapshot) or from the start."""
    state = state or Ledger(enterprise_id)
    for event in events:
        state = evolve(state, event)
    return state


def violation_id_for(alert: AlertRaised) -> str:
    return _violation_id(alert.alert_id)


@lru_cache(maxsize=8192)
def _violation_id(alert_id: str) -> str:
    # Asked twice an alert (reading ahead, deciding): uuid5 is a noticeable part of its cost.
    return derive_id("violation", alert_id)


class Finding(NamedTuple):
    """A violation found (a confirmed case): what, by whom, when, and the event it rests on
    (a tuple: one is built for every confirmation)."""

    enterprise_id: str
    violation_id: str
    machine_id: str | None
    code: ViolationCode
    occurred_at: datetime
    source_event_id: str
    source_event_type: str


def finding_of(alert: AlertRaised, code: ViolationCode, source_event_id: str) -> Finding:
    return Finding(
        alert.enterprise_id,
        violation_id_for(alert),
        alert.machine_id,
        code,
        alert.observed_at,
        source_event_id,
        alert.type,
    )


def decide(
    state: Ledger,
    alert: AlertRaised,
    *,
    recorded: Container[str],
    source_event_id: str,
    rules: PointsRules,
) -> list[DomainEvent]:
    """The ledger's answer to an alert counted as a violation (see `record`); an alert rule
    the table does not know is refused, a data-quality rule gives no events."""
    code = rules.violation_for(alert.rule).code
    if code.about.data_quality:
        return []  # a data-quality finding is about a terminal's data, not a violation
    return record(state, finding_of(alert, code, source_event_id), recorded=recorded, rules=rules)


def record(
    state: Ledger, finding: Finding, *, recorded: Container[str], rules: PointsRules
) -> list[DomainEvent]:
    """The violation, its deduction and any threshold crossed. `recorded` holds the ids of the
    violations already recorded: one of those gives no events."""
    if finding.violation_id in recorded:
        return []
    points = rules.points_for(finding.code)
    year = rules.cycle_year(finding.occurred_at)
    before = state.cycle(year) or Cycle(year, rules.initial_points)
    balance = max(0, before.balance - points)
    deducted = built(  # every field, in order, of its type (`domain.built`)
        PointsDeducted,
        {
            "enterprise_id": finding.enterprise_id,
            "violation_id": finding.violation_id,
            "points": before.balance - balance,
            "balance_after": balance,
            "cycle_year": year,
            "rule_version": rules.version,
        },
    )
    violation = _violation(finding, points, rules)
    return [violation, deducted, *_thresholds(before, balance, finding.enterprise_id, rules)]


def restore(
    state: Ledger, deducted: PointsDeducted, *, reason: str, rules: PointsRules
) -> list[DomainEvent]:
    """An upheld appeal gives back what the violation's deduction took, in its own cycle, and
    lifts a suspension or listing the balance no longer warrants."""
    year = deducted.cycle_year
    before = state.cycle(year) or Cycle(year, rules.initial_points)
    balance = min(rules.initial_points, before.balance + deducted.points)
    restored = PointsRestored(
        enterprise_id=deducted.enterprise_id,
        violation_id=deducted.violation_id,
        points=deducted.points,
        balance_after=balance,
        cycle_year=year,
        reason=reason,
        rule_version=rules.version,
    )
    return [restored, *_lifted(before, balance, deducted.enterprise_id, rules)]


def _lifted(
    before: Cycle, balance: int, enterprise_id: str, rules: PointsRules
) -> list[DomainEvent]:
    lifted: list[DomainEvent] = []
    if before.bidding_suspended and balance > rules.bidding_suspension_at:
        lifted.append(
            BiddingSuspensionLifted(
                enterprise_id=enterprise_id,
                cycle_year=before.year,
                balance=balance,
                threshold=rules.bidding_suspension_at,
                rule_version=rules.version,
            )
        )
    if before.key_supervision and balance > rules.key_supervision_at:
        lifted.append(
            KeySupervisionDelisted(
                enterprise_id=enterprise_id,
                cycle_year=before.year,
                balance=balance,
                rule_version=rules.version,
            )
        )
    return lifted


def _violation(finding: Finding, points: int, rules: PointsRules) -> ViolationRecorded:
    return built(  # a `Finding`'s fields are typed where it is made (from events, from rows)
        ViolationRecorded,
        {
            "enterprise_id": finding.enterprise_id,
            "violation_id": finding.violation_id,
            "machine_id": finding.machine_id,
            "code": finding.code,
            "description": finding.code.about.description,
            "occurred_at": finding.occurred_at,
            "source_event_id": finding.source_event_id,
            "source_event_type": finding.source_event_type,
            "points": points,
            "rule_version": rules.version,
        },
    )


def _thresholds(
    before: Cycle, balance: int, enterprise_id: str, rules: PointsRules
) -> list[DomainEvent]:
    crossed: list[DomainEvent] = []
    if not before.bidding_suspended and balance <= rules.bidding_suspension_at:
        crossed.append(
            BiddingSuspended(
                enterprise_id=enterprise_id,
                cycle_year=before.year,
                balance=balance,
                threshold=rules.bidding_suspension_at,
                rule_version=rules.version,
            )
        )
    if not before.key_supervision and balance <= rules.key_supervision_at:
        crossed.append(
            KeySupervisionListed(
                enterprise_id=enterprise_id, cycle_year=before.year, rule_version=rules.version
            )
        )
    return crossed
