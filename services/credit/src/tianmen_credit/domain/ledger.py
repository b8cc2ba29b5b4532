"""An enterprise's credit ledger: the effects its facts have under a model, each in force from
the fact's event time until it expires. The score at any moment is a pure function of the
ledger and that moment, so an item expiring is seen by a replay exactly as it was live.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta

from tianmen_events.errors import DomainError
from tianmen_events.frozen import assembled

from tianmen_credit.domain import reviews
from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.items import Item as Item
from tianmen_credit.domain.items import Ledger as Ledger
from tianmen_credit.domain.shelf import Shelf
from tianmen_credit.domain.spec import ModelSpec, Rule


def empty(enterprise_id: str, model: ModelSpec) -> Ledger:
    return Ledger(enterprise_id, model.version)


def evolve(ledger: Ledger, fact: Fact, model: ModelSpec) -> Ledger:
    """Count one fact; never raises (a fact the model does not score changes nothing)."""
    if fact.kind == "repair_approved":
        return _repaired(ledger, fact, model)
    if ledger.position(fact.event_id) is not None:
        return _counted(ledger)
    kind, missed = reviews.weighed(ledger.dues, fact, model)
    dues = reviews.noted(ledger.dues, fact)
    rule = _rule(fact, model) if kind == fact.kind else model.rule(kind)
    if rule is None or (rule.effect == 0 and kind != reviews.LATE):
        return _counted(ledger, dues=dues)
    code = missed if fact.kind == reviews.PASSED else fact.code
    return _with(ledger, [_item(fact, kind, rule, code)], dues)


def plain_item(fact: Fact, model: ModelSpec) -> Item | None:
    """The item of a fact weighed by its own kind alone (not a repair, not a review fact:
    `placed.plain`), as `evolve` makes it; None when the model weighs it at nothing."""
    rule = _rule(fact, model)
    return None if rule is None or rule.effect == 0 else _item(fact, fact.kind, rule, fact.code)


def _item(fact: Fact, kind: str, rule: Rule, code: str) -> Item:
    expires = fact.at + timedelta(days=rule.valid_days)
    return assembled(  # once a fact: every field, in order (`tianmen_events.frozen`)
        Item,
        {
            "event_id": fact.event_id,
            "kind": kind,
            "at": fact.at,
            "expires_at": expires,
            "effect": rule.effect,
            "recorded_at": fact.recorded_at,
            "code": code,
            "repaired_by": "",
        },
    )


def _counted(
    ledger: Ledger,
    shelf: Shelf[Item] | None = None,
    length: int | None = None,
    dues: reviews.Dues | None = None,
) -> Ledger:
    """The ledger with one more fact seen (and, when given, its items on `shelf`)."""
    return assembled(  # once a fact: every field, in order
        Ledger,
        {
            "enterprise_id": ledger.enterprise_id,
            "model_version": ledger.model_version,
            "shelf": ledger.shelf if shelf is None else shelf,
            "length": ledger.length if length is None else length,
            "facts_seen": ledger.facts_seen + 1,
            "dues": ledger.dues if dues is None else dues,
        },
    )


def _with(ledger: Ledger, added: list[Item], dues: reviews.Dues) -> Ledger:
    """One more fact seen, `added` after the ledger's items: in place when it is the newest
    ledger on its shelf, else on a copy."""
    shelf = ledger.shelf
    if len(shelf.items) != ledger.length:
        shelf = Shelf(shelf.items[: ledger.length])
    for item in added:
        shelf.append(item)
    return _counted(ledger, shelf, ledger.length + len(added), dues)


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
    at = ledger.position(fact.target)
    target = None if at is None else ledger.shelf.items[at]
    if (
        at is None
        or target is None
        or target.effect >= 0
        or target.repaired_by
        or fact.at >= target.expires_at
    ):
        return _counted(ledger)
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
    items = list(ledger.items)
    items[at] = ended
    shelf = Shelf([*items, rest] if kept else items)
    return _counted(ledger, shelf, len(shelf.items))
