"""Where credit models come from: the shipped current version, or a candidate's JSON file."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from tianmen_credit.domain.spec import ModelSpec

CURRENT = "credit-2026.3.json"


def current_model() -> ModelSpec:
    return shipped_model(CURRENT)


def shipped_model(name: str) -> ModelSpec:
    """A model shipped with the service (`models/<name>`): the current one or a candidate."""
    return ModelSpec.from_json((files("tianmen_credit") / "models" / name).read_text("utf-8"))


def model_from_file(path: Path) -> ModelSpec:
    return ModelSpec.from_json(path.read_text("utf-8"))
