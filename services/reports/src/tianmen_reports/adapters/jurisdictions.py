"""The township polygons, read from the registry's jurisdiction data (`jurisdictions.json`).

Reference data, not state: the file ships with the registry's package in the suite's one image,
and `JURISDICTIONS_FILE` points elsewhere (an edited copy, surveyed boundaries). Nothing of the
registry's code is imported; its data file is found by the package's location. The version a
routing names is the file's content hash, so a replay says which boundaries decided it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

from tianmen_reports.domain.routing import Jurisdiction, JurisdictionTable


def registry_data_file() -> Path:
    spec = importlib.util.find_spec("tianmen_registry")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("tianmen_registry is not installed: set JURISDICTIONS_FILE")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "jurisdictions.json"


def load(path: Path | None = None) -> JurisdictionTable:
    text = (path or registry_data_file()).read_text(encoding="utf-8")
    data = json.loads(text)
    return JurisdictionTable(
        version=f"jurisdictions/{hashlib.sha256(text.encode()).hexdigest()[:12]}",
        county=data["city"]["code"],
        townships=tuple(_township(row) for row in data["townships"] if row.get("boundary")),
    )


def _township(row: dict[str, Any]) -> Jurisdiction:
    boundary = row["boundary"]
    if boundary["type"] != "Polygon":
        raise ValueError(f"township {row['code']}: a boundary must be a GeoJSON Polygon")
    outer = boundary["coordinates"][0]  # holes: none in the data; a hole would need its own rule
    return Jurisdiction(row["code"], row["name"], tuple((float(x), float(y)) for x, y in outer))
