"""The shipped reference data, for the unit tests (read through the adapter that loads it)."""

from __future__ import annotations

from importlib import resources

from tianmen_registry.adapters.reference import load_divisions, load_jurisdictions

_DATA = resources.files("tianmen_registry.data")
JURISDICTIONS = load_jurisdictions(_DATA.joinpath("jurisdictions.json").read_text("utf-8"))
DIVISIONS = load_divisions(_DATA.joinpath("divisions.csv").read_text("utf-8"))
