"""``python -m tianmen_telemetry serve|api|relay|worker|digest|replay``, and
``prune-tracks`` (track retention, entrypoints/retention_cli.py)."""

from __future__ import annotations

import sys

from tianmen_runtime.cli import main as run

from tianmen_telemetry import bootstrap
from tianmen_telemetry.entrypoints import retention_cli


def main() -> None:
    if sys.argv[1:2] == [retention_cli.COMMAND]:
        sys.exit(retention_cli.main(sys.argv[2:]))
    run(bootstrap.build())


if __name__ == "__main__":
    main()
