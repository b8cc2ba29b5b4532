"""Reference data loaded once at start: jurisdictions, divisions, the working-day calendar.

`REGISTRY_JURISDICTIONS_FILE` / `REGISTRY_DIVISIONS_FILE` point at replacements; by default
the copies in `tianmen_registry/data/` are read.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from tianmen_registry.adapters.calendar import working_calendar
from tianmen_registry.config import get_settings
from tianmen_registry.domain.divisions import DivisionTable
from tianmen_registry.domain.jurisdictions import Jurisdiction, Jurisdictions, Ring, Tier
from tianmen_registry.domain.workdays import WorkingCalendar


@dataclass(frozen=True)
class Reference:
    jurisdictions: Jurisdictions
    divisions: DivisionTable
    calendar: WorkingCalendar


@cache
def current() -> Reference:
    """The reference data the settings name, read on first use and kept."""
    settings = get_settings()
    return Reference(
        jurisdictions=load_jurisdictions(_read(settings.jurisdictions_file, "jurisdictions.json")),
        divisions=load_divisions(_read(settings.divisions_file, "divisions.csv")),
        calendar=working_calendar(settings.working_calendar_file),
    )


def load_jurisdictions(text: str) -> Jurisdictions:
    doc = json.loads(text)
    city = doc["city"]
    items = [Jurisdiction(city["code"], city["name"], Tier.CITY)]
    items += [
        Jurisdiction(station["code"], station["name"], Tier.STATION, city["code"])
        for station in doc["stations"]
    ]
    items += [
        Jurisdiction(town["code"], town["name"], Tier.TOWNSHIP, town["station"], _ring(town))
        for town in doc["townships"]
    ]
    return Jurisdictions(items)


def load_divisions(text: str) -> DivisionTable:
    lines = (line for line in io.StringIO(text) if not line.startswith("#"))
    return DivisionTable({row["code"]: row["name"] for row in csv.DictReader(lines)})


def _ring(town: dict[str, Any]) -> Ring:
    boundary = town.get("boundary") or {"coordinates": [[]]}
    return tuple((float(lon), float(lat)) for lon, lat in boundary["coordinates"][0])


def _read(path: Path | None, packaged: str) -> str:
    if path is not None:
        return path.read_text(encoding="utf-8")
    return resources.files("tianmen_registry.data").joinpath(packaged).read_text(encoding="utf-8")
