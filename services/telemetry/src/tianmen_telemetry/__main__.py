"""``python -m tianmen_telemetry serve|api|relay|worker|digest|replay``."""

from __future__ import annotations

from tianmen_runtime.cli import main as run

from tianmen_telemetry import bootstrap


def main() -> None:
    run(bootstrap.build())


if __name__ == "__main__":
    main()
