"""The three supervision tiers: the city center, its stations, the township liaisons.

Loaded from data (`data/jurisdictions.json`, by `adapters.reference`); every enterprise, machine,
work site and application belongs to one jurisdiction, named by its code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from tianmen_events.errors import DomainError

Ring = tuple[tuple[float, float], ...]  # (longitude, latitude) pairs, WGS-84, closed


class Tier(StrEnum):
    CITY = "city"
    STATION = "station"
    TOWNSHIP = "township"


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    tier: Tier
    parent: str | None = None
    boundary: Ring = ()


class Jurisdictions:
    """Every jurisdiction by code; the city is the root, stations its children, townships theirs."""

    def __init__(self, items: Iterable[Jurisdiction]) -> None:
        self.by_code: Mapping[str, Jurisdiction] = {item.code: item for item in items}
        cities = [item for item in self.by_code.values() if item.tier is Tier.CITY]
        if len(cities) != 1:
            raise ValueError(f"expected one city-level jurisdiction, found {len(cities)}")
        self.city = cities[0]
        for item in self.by_code.values():
            if item.parent is not None and item.parent not in self.by_code:
                raise ValueError(f"jurisdiction {item.code} names an unknown parent {item.parent}")

    def get(self, code: str, field: str = "jurisdiction_code") -> Jurisdiction:
        """The jurisdiction with this code, or a refusal naming `field`."""
        found = self.by_code.get(code.strip())
        if found is None:
            raise DomainError(f"no jurisdiction has the code {code!r}", field=field)
        return found

    def resolve(self, code: str | None, default: str | None = None) -> str:
        """The code given (checked), else `default` (checked), else the city's."""
        chosen = code or default
        return self.city.code if chosen is None else self.get(chosen).code

    def chain(self, code: str) -> list[Jurisdiction]:
        """The jurisdiction and every tier above it, nearest first."""
        found: list[Jurisdiction] = []
        current: str | None = code
        while current is not None:
            item = self.get(current)
            found.append(item)
            current = item.parent
        return found

    def children(self, code: str) -> list[Jurisdiction]:
        return [item for item in self.by_code.values() if item.parent == code]
