"""python -m tianmen_credit serve|api|relay|worker|digest|replay, and the auditor's
what-if|as-of|bundle|verify|diverge (entrypoints/audit_cli.py)."""

from __future__ import annotations

import sys

from tianmen_runtime.cli import main as run

from tianmen_credit import bootstrap
from tianmen_credit.entrypoints import audit_cli


def main() -> None:
    first = sys.argv[1] if len(sys.argv) > 1 else ""
    if first in audit_cli.COMMANDS or first == "--bootstrap-servers":
        sys.exit(audit_cli.main(sys.argv[1:]))
    run(bootstrap.build())


if __name__ == "__main__":
    main()
