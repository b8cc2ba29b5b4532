"""A late fact put in its place among a ledger's items, without folding again the facts after
it (what a replay's tips and maintenance records, read ahead of safety's violations, made
credit do for every violation of their enterprises: `domain/timeline.py`).

Folding in event-time order weighs most facts by their own kind alone: a violation, a tip, a
maintenance record adds its item whatever came before. Only a repair (it changes the item it
names) and a review fact (a pass is weighed by the due days folded before it) depend on the
ledger. So when neither the late fact nor any fact after its place is one of those, the fold
of every fact in event-time order has the same items as the ledger, with the late fact's item
among them at its place: items are kept in the order of their facts.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from tianmen_credit.domain import reviews
from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.ledger import Ledger, plain_item
from tianmen_credit.domain.shelf import Shelf
from tianmen_credit.domain.spec import ModelSpec

WEIGHED_BY_THE_LEDGER = frozenset({"repair_approved", *reviews.NOTED})


def plain(fact: Fact, after: Sequence[Fact]) -> bool:
    """Whether `fact`, put before the facts `after`, changes no item but its own."""
    if fact.kind in WEIGHED_BY_THE_LEDGER:
        return False
    return all(f.kind not in WEIGHED_BY_THE_LEDGER and f.event_id != fact.event_id for f in after)


def placed(ledger: Ledger, fact: Fact, model: ModelSpec) -> Ledger:
    """The ledger with the `plain` fact counted at its place in event-time order."""
    item = None if ledger.position(fact.event_id) is not None else plain_item(fact, model)
    shelf, length = ledger.shelf, ledger.length
    if item is not None:
        items = shelf.items
        at = bisect_left(
            items, (item.at, item.event_id), 0, length, key=lambda i: (i.at, i.event_id)
        )
        shelf, length = Shelf([*items[:at], item, *items[at:length]]), length + 1
    facts_seen = ledger.facts_seen + 1
    return Ledger(
        ledger.enterprise_id, ledger.model_version, shelf, length, facts_seen, ledger.dues
    )
