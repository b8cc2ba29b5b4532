"""The tiers of supervision: city → district stations → townships, and what contains what."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    tier: str
    parent: str | None


@dataclass(frozen=True)
class Jurisdictions:
    divisions: dict[str, Division]

    def parent(self, code: str) -> str | None:
        """The next tier up: from the data; for a code it lacks, its GB/T 2260 prefix."""
        known = self.divisions.get(code)
        if known is not None:
            return known.parent
        return code[:6] if len(code) == 9 else None

    def contains(self, scope: str, code: str) -> bool:
        """Whether `code` is `scope` or lies anywhere below it."""
        current: str | None = code
        seen: set[str] = set()
        while current is not None and current not in seen:
            if current == scope:
                return True
            seen.add(current)
            current = self.parent(current)
        return False


def load() -> Jurisdictions:
    text = resources.files(__package__).joinpath("jurisdictions.json").read_text("utf-8")
    rows = json.loads(text)["divisions"]
    return Jurisdictions({row["code"]: Division(**row) for row in rows})
