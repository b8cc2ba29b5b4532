"""python -m tianmen_reports serve|api|relay|digest"""

from __future__ import annotations

from tianmen_runtime import service

from tianmen_reports import bootstrap


def main() -> None:
    service.main(bootstrap.build())


if __name__ == "__main__":
    main()
