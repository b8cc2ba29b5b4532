"""``python -m tianmen_registry serve|api|relay|digest``."""

from __future__ import annotations

from tianmen_runtime import cli

from tianmen_registry import bootstrap


def main() -> None:
    cli.main(bootstrap.build())


if __name__ == "__main__":
    main()
