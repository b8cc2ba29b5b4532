"""python -m tianmen_gateway serve|api"""

from __future__ import annotations

from tianmen_runtime import cli

from tianmen_gateway import bootstrap


def main() -> None:
    cli.main(bootstrap.build())


if __name__ == "__main__":
    main()
