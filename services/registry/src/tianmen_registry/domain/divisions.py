"""GB/T 2260 administrative divisions: is a USCC's division code (characters 3-8) a real one?"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from tianmen_events.errors import DomainError


@dataclass(frozen=True)
class DivisionTable:
    """Division code -> name. Provinces in `complete` are listed down to their counties; for
    another province whose code is listed, its lower divisions are accepted (not shipped yet)."""

    names: Mapping[str, str]
    complete: Collection[str] = field(default_factory=lambda: frozenset({"42"}))

    def name_of(self, code: str, field: str = "uscc") -> str:
        """The division's name, or a refusal naming `field`."""
        if code in self.names:
            return self.names[code]
        province = code[:2]
        if province not in self.complete and f"{province}0000" in self.names:
            return self.names[f"{province}0000"]
        raise DomainError(
            f"{code} (characters 3-8 of the USCC) is not an administrative division code "
            "(GB/T 2260)",
            field=field,
        )
