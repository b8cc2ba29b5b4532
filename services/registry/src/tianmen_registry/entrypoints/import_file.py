"""``python -m tianmen_registry.entrypoints.import_file FILE``: import a register with progress."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tianmen_runtime.http import wall_clock

from tianmen_registry import bootstrap
from tianmen_registry.adapters import tabular
from tianmen_registry.service_layer.bulk_import import import_rows


def main(argv: list[str]) -> int:
    service = bootstrap.build()
    rows = list(tabular.rows(Path(argv[0]).read_bytes()))

    def progress(done: int) -> None:
        print(f"{done}/{len(rows)} rows", file=sys.stderr, flush=True)

    report = import_rows(service.engine, service.source, rows, wall_clock(), progress)
    print(
        json.dumps(
            {"created": report.created, "unchanged": report.unchanged, "refused": report.refused},
            ensure_ascii=False,
        )
    )
    return 1 if report.refused else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
