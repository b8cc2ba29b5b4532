"""python -m tianmen_reports serve|api|relay|digest"""

from __future__ import annotations

from tianmen_runtime import cli

from tianmen_reports import bootstrap


def main() -> None:
    cli.main(bootstrap.build())


if __name__ == "__main__":
    main()
