"""Round 18's trial of mypyc on safety's replay (issues 5 and 10), kept so it can be repeated:
a copy of this tree's sources with safety's replay path compiled to C extensions, for
`safety_replay_cpu.py --tree` against a pure copy (the compiled one's `.so` sit beside its
`.py`, which Python imports first). It did not pay (benchmarks/README.md, bench-fold, round 18),
so nothing here is built by `make` and no service imports it.

The copy gets `mypyc_trial.patch` first: what mypyc refused in these modules (a dataclass
assembled through its `__dict__`, which a native class has not; `singledispatch`'s `dispatch`,
which a compiled one has not; SQLAlchemy rows checked as tuples when typed as `Row`s; a test's
interpreted subclass of `Ledger`). mypy's `mypycify` wants setuptools only to patch its copy of
in-place extensions; the stdlib's distutils (3.11) builds them here without it.

    .venv/bin/python benchmarks/mypyc_trial.py DIR [--pure]     # DIR: a fresh directory
    .venv/bin/python benchmarks/safety_replay_cpu.py --tree PURE_DIR --tree DIR
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAFETY = "services/safety/src/tianmen_safety/"
RUNTIME = "libs/runtime/src/tianmen_runtime/"
GROUPS = {  # a package's modules compile into one group (one shared library in the package)
    "tianmen_safety": [
        *(SAFETY + f"domain/{m}.py" for m in ("cases", "ledger", "intake", "rules")),
        *(SAFETY + f"domain/{m}.py" for m in ("case_rules", "found", "delisting", "built")),
        *(SAFETY + f"adapters/{m}.py" for m in ("case_map", "projections", "case_rows")),
        *(SAFETY + f"adapters/{m}.py" for m in ("positions", "watching", "looking_ahead")),
        SAFETY + "service_layer/handlers.py",
    ],
    "tianmen_runtime": [
        RUNTIME + f"{m}.py"
        for m in ("replay", "replay_window", "unit_of_work", "handlers", "event_store")
    ]
    + [RUNTIME + f"{m}.py" for m in ("event_rows", "projection", "tracking")],
}


def copy_sources(to: Path) -> None:
    for src in [*ROOT.glob("libs/*/src"), *ROOT.glob("services/*/src")]:
        shutil.copytree(
            src, to / src.relative_to(ROOT), ignore=shutil.ignore_patterns("__pycache__", "*.so")
        )
    shutil.copy(ROOT / "pyproject.toml", to / "pyproject.toml")  # mypy's configuration
    patch = Path(__file__).with_name("mypyc_trial.patch")
    subprocess.run(["git", "apply", str(patch)], cwd=to, check=True)


def compile_groups(at: Path) -> None:
    import distutils.core  # the stdlib's (3.11): mypycify builds its extensions with it

    import mypyc.build

    mypyc.build._setuptools_patch_applied = True  # its in-place copy patch imports setuptools
    for package, modules in GROUPS.items():
        started = time.monotonic()
        root = Path(modules[0][: modules[0].index("/src/") + len("/src")])
        extensions = mypyc.build.mypycify(
            modules, opt_level="3", group_name=f"{package}._native", target_dir=f"build/{package}"
        )
        distutils.core.setup(
            name=package,
            ext_modules=extensions,
            package_dir={"": str(root)},
            script_args=["build_ext", "--inplace", "--build-temp", f"build/{package}/o", "-j2"],
        )
        took = time.monotonic() - started
        print(f"{package}: {len(modules)} modules compiled in {took:.0f} s", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=Path)
    parser.add_argument("--pure", action="store_true", help="the patched copy, not compiled")
    args = parser.parse_args()
    to = args.dir.resolve()
    to.mkdir(parents=True, exist_ok=False)
    copy_sources(to)
    if not args.pure:
        os.chdir(to)  # mypy reads the copy's configuration and resolves modules in it
        compile_groups(to)


if __name__ == "__main__":
    main()
