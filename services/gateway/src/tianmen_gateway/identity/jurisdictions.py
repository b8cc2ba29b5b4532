"""The tiers of supervision: city → district stations → townships, and what contains what."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path


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
    """The registry's tiers, the one table of both (city → stations → townships): the file
    `REGISTRY_JURISDICTIONS_FILE` names, as the registry reads it, else the registry's copy."""
    named = os.environ.get("REGISTRY_JURISDICTIONS_FILE")
    doc = json.loads(Path(named).read_text("utf-8") if named else _shipped())
    city = doc["city"]["code"]
    rows = [Division(city, doc["city"]["name"], "city", None)]
    rows += [Division(s["code"], s["name"], "station", city) for s in doc["stations"]]
    rows += [Division(t["code"], t["name"], "township", t["station"]) for t in doc["townships"]]
    return Jurisdictions({row.code: row for row in rows})


def _shipped() -> str:
    data = resources.files("tianmen_registry.data")
    return data.joinpath("jurisdictions.json").read_text("utf-8")
