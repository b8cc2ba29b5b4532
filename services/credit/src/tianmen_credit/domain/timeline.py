"""An enterprise's facts in event-time order, with its ledger checkpointed every `EVERY` facts:
what the consumer keeps of an enterprise between transactions. A fact in order is folded on
from the latest ledger; a fact that arrives out of event-time order (a replay reads tips and
maintenance on their own topics, ahead of safety's violations) is put in its place and the
ledger folded from the checkpoint before it, over the facts after it, instead of from the
enterprise's first fact (the facts read back from the store, before). The result is the
ledger of folding every fact in event-time order (`ledger_of`), however they arrive.

Append-only and shared, like the ledger's shelf: each timeline sees the first `length` facts,
so a fact in order appends in place; a timeline that is not the newest on its list (a
transaction rolled back after another appended) and an insertion copy the lists.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tianmen_events.frozen import assembled

from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.ledger import Ledger, empty, evolve, in_order
from tianmen_credit.domain.placed import placed, plain
from tianmen_credit.domain.spec import ModelSpec

EVERY = 32
"""Facts between checkpoints: a late fact refolds at most this many before its place."""
Key = tuple[datetime, str]


def key(fact: Fact) -> Key:
    return (fact.at, fact.event_id)


class _Lists:
    """The facts (and their keys) of a timeline and of those grown from it; `marks[i]` is the
    ledger of the first `i * every` facts."""

    __slots__ = ("every", "facts", "keys", "marks")

    def __init__(self, facts: list[Fact], keys: list[Key], marks: list[Ledger], every: int) -> None:
        self.facts, self.keys, self.marks, self.every = facts, keys, marks, every

    def first(self, length: int) -> _Lists:
        """A copy of the first `length` facts, keys and the checkpoints among them."""
        marks = self.marks[: length // self.every + 1]
        return _Lists(self.facts[:length], self.keys[:length], marks, self.every)


@dataclass(frozen=True, eq=False)
class Timeline:
    lists: _Lists
    length: int
    ledger: Ledger  # of the first `length` facts, in event-time order

    @property
    def last(self) -> Key | None:
        return self.lists.keys[self.length - 1] if self.length else None

    def has(self, fact: Fact) -> bool:
        at = bisect_left(self.lists.keys, key(fact), 0, self.length)
        return at < self.length and self.lists.keys[at] == key(fact)


def timeline_of(
    enterprise_id: str, facts: Sequence[Fact], model: ModelSpec, every: int = EVERY
) -> Timeline:
    """The timeline of these facts (in event-time order), checkpointed `every` facts."""
    start = empty(enterprise_id, model)
    return _folded(_Lists([], [], [start], every), start, facts, model)


def joined(
    timeline: Timeline, found: Sequence[Fact], model: ModelSpec
) -> tuple[Timeline, list[Fact]]:
    """The timeline with one event's facts joined, and those of them that are new (none when
    the event was counted before)."""
    new, last = in_order(found), timeline.last
    if new and last is not None and key(new[0]) <= last:  # late, or again
        new = [f for f in new if not timeline.has(f)]
    if not new:
        return timeline, []
    if last is None or key(new[0]) > last:
        return _folded(_own(timeline), timeline.ledger, new, model), new
    return _inserted(timeline, new, model), new


def _own(timeline: Timeline) -> _Lists:
    """The lists to append to: the timeline's own, unless another grew them first."""
    lists, length = timeline.lists, timeline.length
    return lists if len(lists.facts) == length else lists.first(length)


def _folded(lists: _Lists, ledger: Ledger, facts: Sequence[Fact], model: ModelSpec) -> Timeline:
    """`facts` appended to `lists` (whose facts make `ledger`), checkpointing as they go."""
    for fact in facts:
        ledger = evolve(ledger, fact, model)
        lists.facts.append(fact)
        lists.keys.append(key(fact))
        if len(lists.facts) == len(lists.marks) * lists.every:
            lists.marks.append(ledger)
    # once a fact: every field, in order (`tianmen_events.frozen`)
    return assembled(Timeline, {"lists": lists, "length": len(lists.facts), "ledger": ledger})


def _inserted(timeline: Timeline, new: list[Fact], model: ModelSpec) -> Timeline:
    """`new` in their places among the timeline's facts: a lone fact whose item does not
    depend on the ledger, before facts whose items do not either, is put in its place among
    the items (`placed.py`); else folded from the checkpoint before the first of them."""
    lists, length = timeline.lists, timeline.length
    place = bisect_left(lists.keys, key(new[0]), 0, length)
    if len(new) == 1 and plain(new[0], lists.facts[place:length]):
        return _placed(timeline, place, new[0], model)
    mark = min(place // lists.every, len(lists.marks) - 1)
    start = mark * lists.every
    rest = in_order([*lists.facts[place:length], *new])
    return _folded(lists.first(start), lists.marks[mark], [*lists.facts[start:place], *rest], model)


def _placed(timeline: Timeline, place: int, fact: Fact, model: ModelSpec) -> Timeline:
    """`fact` at `place` with its item among the ledger's; the checkpoints after `place` are
    dropped (a later fact refolds from the one before them, and folds in order add none)."""
    lists, length = timeline.lists, timeline.length
    kept = lists.first(place)
    kept.facts += [fact, *lists.facts[place:length]]
    kept.keys += [key(fact), *lists.keys[place:length]]
    return Timeline(kept, length + 1, placed(timeline.ledger, fact, model))
