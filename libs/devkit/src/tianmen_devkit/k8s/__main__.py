"""python -m tianmen_devkit.k8s generate|check|topics|validate [--base deploy/k8s/base]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tianmen_devkit.k8s import render

BASE = Path("deploy/k8s/base")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tianmen_devkit.k8s")
    parser.add_argument("command", choices=["generate", "check", "topics", "validate"])
    parser.add_argument("--base", type=Path, default=BASE)
    args = parser.parse_args(argv)
    if args.command == "validate":
        from tianmen_devkit.k8s import validate

        return validate.main(sorted(args.base.parent.joinpath("overlays").iterdir()))
    rendered = render.files()
    if args.command == "topics":
        sys.stdout.write(rendered["kafka/topics.yaml"])
        return 0
    if args.command == "generate":
        for path, text in rendered.items():
            target = args.base / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return 0
    stale = stale_files(args.base, rendered)
    for path in stale:
        print(
            f"{args.base / path} differs from the code: run python -m tianmen_devkit.k8s generate"
        )
    return 1 if stale else 0


def stale_files(base: Path, rendered: dict[str, str]) -> list[str]:
    def current(path: str) -> str | None:
        target = base / path
        return target.read_text(encoding="utf-8") if target.exists() else None

    return [path for path, text in rendered.items() if current(path) != text]


if __name__ == "__main__":
    raise SystemExit(main())
