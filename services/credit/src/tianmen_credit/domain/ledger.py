"""An enterprise's credit ledger: the effects its facts have under a model, each in force from
the fact's event time until it expires. The score at any moment is a pure function of the
ledger and that moment, so an item expiring is seen by a replay exactly as it was live.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from tianmen_events.errors import DomainError

from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.spec import ModelSpec, Rule


@dataclass(frozen=True)
class Item:
    event_id: str
    kind: str
    at: datetime
    expires_at: datetime
    effect: int
    recorded_at: datetime
    code: str = ""
    repaired_by: str = ""

    def in_force(self, at: datetime) -> bool:
        return self.at <= at < self.expires_at


@dataclass(frozen=True)
class Ledger:
    enterprise_id: str
    model_version: str
    items: tuple[Item, ...] = ()
    facts_seen: int = 0


def empty(enterprise_id: str, model: ModelSpec) -> Ledger:
    return Ledger(enterprise_id, model.version)


def evolve(ledger: Ledger, fact: Fact, model: ModelSpec) -> Ledger:
    """Count one fact; never raises (a fact the model does not score changes nothing)."""
    seen = replace(ledger, facts_seen=ledger.facts_seen + 1)
    if fact.kind == "repair_approved":
        return _repaired(seen, fact, model)
    if any(item.event_id == fact.event_id for item in ledger.items):
        return seen
    rule = _rule(fact, model)
    if rule is None or rule.effect == 0:
        return seen
    item = Item(
        fact.event_id,
        fact.kind,
        fact.at,
        fact.at + timedelta(days=rule.valid_days),
        rule.effect,
        fact.recorded_at,
        fact.code,
    )
    return replace(seen, items=(*seen.items, item))


def fold(ledger: Ledger, facts: Iterable[Fact], model: ModelSpec) -> Ledger:
    for fact in facts:
        ledger = evolve(ledger, fact, model)
    return ledger


def in_order(facts: Iterable[Fact]) -> list[Fact]:
    """Event-time order (ties by id): the order a ledger is folded in, whatever the arrival."""
    return sorted(facts, key=lambda f: (f.at, f.event_id))


def ledger_of(enterprise_id: str, facts: Iterable[Fact], model: ModelSpec) -> Ledger:
    """The enterprise's ledger from its facts, folded in event-time order."""
    return fold(empty(enterprise_id, model), in_order(facts), model)


def _rule(fact: Fact, model: ModelSpec) -> Rule | None:
    if fact.kind != "violation":
        return model.rule(fact.kind)
    try:
        return model.violation_rule(fact.code, fact.points, fact.severity)
    except DomainError:
        return None


def _repaired(ledger: Ledger, fact: Fact, model: ModelSpec) -> Ledger:
    """An approved repair ends the target deduction at the repair's time and keeps only the
    part the model does not restore, until the deduction would have expired."""
    target = next((i for i in ledger.items if i.event_id == fact.target), None)
    if target is None or target.effect >= 0 or target.repaired_by or fact.at >= target.expires_at:
        return ledger
    kept = -((-target.effect * (100 - model.repair_restores_percent)) // 100)
    ended = replace(target, expires_at=max(target.at, fact.at), repaired_by=fact.event_id)
    rest = Item(
        fact.event_id,
        "repaired",
        fact.at,
        target.expires_at,
        kept,
        fact.recorded_at,
        target.code,
        repaired_by=target.event_id,
    )
    items = tuple(ended if i is target else i for i in ledger.items)
    return replace(ledger, items=(*items, rest) if kept else items)
