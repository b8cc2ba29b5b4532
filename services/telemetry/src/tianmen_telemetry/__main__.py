"""``python -m tianmen_telemetry serve|api|relay|worker|digest|replay``, and
``prune-tracks`` (track retention, entrypoints/retention_cli.py), listed in `--help` with them."""

from __future__ import annotations

from tianmen_runtime.cli import Command, main_with

from tianmen_telemetry import bootstrap
from tianmen_telemetry.entrypoints import retention_cli

PRUNE = Command(
    retention_cli.COMMAND,
    "delete track points older than the retention (default 90 days), in bounded batches",
    retention_cli.main,
)


def main() -> None:
    main_with(bootstrap.build, (PRUNE,))


if __name__ == "__main__":
    main()
