"""A ledger's items and the ledger itself: the effects an enterprise's facts have under a model,
each in force from the fact's event time until it expires (`domain/ledger.py` folds them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from tianmen_credit.domain import reviews
from tianmen_credit.domain.shelf import Shelf


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


@dataclass(frozen=True, eq=False)
class Ledger:
    enterprise_id: str
    model_version: str
    shelf: Shelf[Item] = field(default_factory=lambda: Shelf([]), repr=False)
    length: int = 0
    facts_seen: int = 0
    dues: reviews.Dues = field(default_factory=dict, repr=False)  # machines' review due days

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(self.shelf.items[: self.length])

    def since(self, start: int) -> list[Item]:
        """The items from `start` on, straight off the shelf: what a fact appended, without
        the copy of every item `items` makes once per ledger (a ledger per fact)."""
        return self.shelf.items[start : self.length]

    def position(self, event_id: str) -> int | None:
        """Where the first item of `event_id` is, if this ledger has one."""
        at = self.shelf.positions.get(event_id)
        return at if at is not None and at < self.length else None

    def _key(self) -> tuple[object, ...]:
        dues = tuple(sorted(self.dues.items()))
        return (self.enterprise_id, self.model_version, self.facts_seen, self.items, dues)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ledger) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())
