"""python -m tianmen_credit serve|api|relay|worker|digest|replay, and the auditor's
what-if|as-of|bundle|verify|diverge (entrypoints/audit_cli.py), listed in `--help` with them."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import partial

from tianmen_runtime.cli import Command, main_with

from tianmen_credit import bootstrap
from tianmen_credit.entrypoints import audit_cli


def _audit(command: str, argv: Sequence[str]) -> int:
    return audit_cli.main([command, *argv])


AUDIT = tuple(Command(name, text, partial(_audit, name)) for name, text in audit_cli.HELP.items())


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--bootstrap-servers"]:  # the auditor's option comes before its command
        sys.exit(audit_cli.main(args))
    main_with(bootstrap.build, AUDIT, args)


if __name__ == "__main__":
    main()
