"""python -m tianmen_safety serve|api|relay|worker|digest|replay"""

from __future__ import annotations

from tianmen_runtime.cli import main as run

from tianmen_safety import bootstrap


def main() -> None:
    run(bootstrap.build())


if __name__ == "__main__":
    main()
