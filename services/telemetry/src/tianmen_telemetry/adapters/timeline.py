"""Dated items of the registry's word (sites by registration, zones by declaration) as a
report sees them: what had been said by its own time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Dated(Generic[T]):
    since: datetime
    item: T


class Timeline(Generic[T]):
    """Dated items in their order; those said by an instant, all of them (one tuple, built
    once) for any instant after the latest, as nearly every report is."""

    def __init__(self, dated: list[Dated[T]]) -> None:
        self.dated = dated
        self.latest = max((d.since for d in dated), default=None)
        self.every = tuple(d.item for d in dated)

    def as_of(self, at: datetime) -> tuple[T, ...]:
        if self.latest is None or self.latest <= at:
            return self.every
        return tuple(d.item for d in self.dated if d.since <= at)


NO_ITEMS: Timeline[Any] = Timeline([])
