"""What every `make bench-*` writes: var/bench/<name>.json, each figure with the baseline it was
measured against in the same run, so that `make bench` can put them all in one table.

    {"name": "consumer", "unit": "events/s", "measured_at": "2026-…",
     "figures": [{"label": "SQLite, loop, txn 200", "value": 8693.0,
                  "baseline": "decode only", "baseline_value": 29937.0}]}
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

RESULTS = Path("var/bench")


@dataclass(frozen=True)
class Figure:
    label: str
    value: float
    baseline: str
    baseline_value: float

    @property
    def ratio(self) -> float:
        return self.value / self.baseline_value if self.baseline_value else float("nan")


def write(
    name: str,
    unit: str,
    figures: list[Figure],
    folder: Path = RESULTS,
    details: dict[str, Any] | None = None,
) -> Path:
    """`details`: what else the benchmark measured or was run with, kept beside the figures."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    body = {
        "name": name,
        "unit": unit,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "figures": [asdict(figure) for figure in figures],
        **(details or {}),
    }
    path.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def read(path: Path) -> tuple[dict[str, Any], list[Figure]]:
    body = json.loads(path.read_text(encoding="utf-8"))
    figures = [Figure(**figure) for figure in body.get("figures", [])]
    return body, figures


def wait_up(url: str, path: str = "/healthz", seconds: float = 90) -> None:
    """Wait until a server started for a benchmark answers `path`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}{path}", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not start")
