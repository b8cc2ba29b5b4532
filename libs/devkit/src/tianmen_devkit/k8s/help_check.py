"""``python -m tianmen_devkit.k8s.help_check <module> <subcommand>…``: runs ``python -m <module>
<subcommand> --help`` for each subcommand, as ``-m`` does (runpy, as ``__main__``), in one
process so the module's imports are paid once; prints each failure, exits 1 if any."""

from __future__ import annotations

import contextlib
import io
import runpy
import sys


def help_exits_cleanly(module: str, subcommand: str) -> bool:
    sys.argv = [module, subcommand, "--help"]
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            runpy.run_module(module, run_name="__main__", alter_sys=True)
        except SystemExit as stopped:
            return stopped.code in (0, None)
    return False  # a --help that does not exit has not parsed it


def main(module: str, subcommands: list[str]) -> int:
    failed = [sub for sub in subcommands if not help_exits_cleanly(module, sub)]
    for sub in failed:
        print(f"python -m {module} {sub} --help fails", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2:]))
