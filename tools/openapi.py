"""`make openapi`: write each service's OpenAPI document to docs/openapi/<service>.json.

    python -m tools.openapi export   # regenerate the checked-in documents
    python -m tools.openapi check    # exit 1 naming every document that is stale or missing

The documents are built from the apps themselves (no database, broker or port is touched), so
they say exactly what each service serves; a test fails when a checked-in one is stale.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

from tianmen_credit import bootstrap as credit
from tianmen_gateway import bootstrap as gateway
from tianmen_registry import bootstrap as registry
from tianmen_reports import bootstrap as reports
from tianmen_runtime.openapi import render
from tianmen_runtime.service import Service
from tianmen_safety import bootstrap as safety
from tianmen_telemetry import bootstrap as telemetry

FOLDER = Path(__file__).resolve().parent.parent / "docs" / "openapi"
SERVICES: dict[str, Callable[[], Service]] = {
    "registry": registry.build,
    "telemetry": telemetry.build,
    "safety": safety.build,
    "credit": credit.build,
    "reports": reports.build,
    "gateway": gateway.build,
}


@cache
def documents() -> dict[str, str]:
    """Every service's OpenAPI document, as it is checked in."""
    built = {name: build() for name, build in SERVICES.items()}
    return {name: render(service.build_api(service)) for name, service in built.items()}


def stale(folder: Path = FOLDER) -> list[str]:
    """The names of the checked-in documents that differ from what the apps serve."""
    return [
        name
        for name, text in documents().items()
        if not (folder / f"{name}.json").is_file()
        or (folder / f"{name}.json").read_text(encoding="utf-8") != text
    ]


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "export":
        FOLDER.mkdir(parents=True, exist_ok=True)
        for name, text in documents().items():
            (FOLDER / f"{name}.json").write_text(text, encoding="utf-8")
        return 0
    outdated = stale()
    for name in outdated:
        print(f"docs/openapi/{name}.json is stale: run `make openapi`", file=sys.stderr)
    return 1 if outdated else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
