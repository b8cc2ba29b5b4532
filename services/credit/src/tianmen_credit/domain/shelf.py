"""An append-only shelf of a ledger's items, shared by the ledgers evolved from it."""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar


class Identified(Protocol):
    @property
    def event_id(self) -> str: ...


T = TypeVar("T", bound=Identified)


class Shelf(Generic[T]):
    """The items of a ledger and of every ledger evolved from it, append-only: each ledger sees
    the first `length` of them, so a fact that adds an item appends in place instead of copying
    the tuple (folding is linear, not quadratic). A ledger that is not the newest on its shelf,
    and a repair (which changes an item), copy to a shelf of their own."""

    __slots__ = ("items", "positions")

    def __init__(self, items: list[T]) -> None:
        self.items = items
        self.positions: dict[str, int] = {}
        for at, item in enumerate(items):
            self.positions.setdefault(item.event_id, at)

    def append(self, item: T) -> None:
        self.positions.setdefault(item.event_id, len(self.items))
        self.items.append(item)
