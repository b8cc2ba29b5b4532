"""`make bench`'s last step: one table of every benchmark's figures, each as a ratio to the
baseline measured in the same run, printed and written to docs/benchmarks.md with the date
and the machine (CPUs, memory, CPU model), since absolute figures mean nothing without it."""

from __future__ import annotations

import argparse
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench_results import RESULTS, read


def machine() -> str:
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} CPUs, {_memory()}, {_cpu_model()}, Python "
        f"{platform.python_version()}; load average {load:.1f} when written (other work on a "
        "shared machine slows every figure, the ratios less)"
    )


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.processor() or "unknown CPU"


def _memory() -> str:
    meminfo = Path("/proc/meminfo")
    for line in meminfo.read_text().splitlines() if meminfo.exists() else []:
        if line.startswith("MemTotal:"):
            return f"{int(line.split()[1]) / 1024**2:.1f} GiB memory"
    return "unknown memory"


def table(folder: Path) -> list[str]:
    rows = [
        "| benchmark | figure | value | baseline (same run) | ratio |",
        "|---|---|---:|---|---:|",
    ]
    for path in sorted(folder.glob("*.json")):
        body, figures = read(path)
        unit = body.get("unit", "")
        for f in figures:
            rows.append(
                f"| {body['name']} | {f.label} | {f.value:,.0f} {unit} | "
                f"{f.baseline}: {f.baseline_value:,.0f} {unit} | {f.ratio:.3f} |"
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/report.py")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"))
    args = parser.parse_args()
    rows = table(args.results)
    if len(rows) == 2:
        print(f"no results in {args.results}: run a `make bench-*` first")
        return 1
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    document = [
        "# Benchmarks",
        "",
        "Written by `make bench`: every `make bench-*`, then this table from `var/bench/*.json`.",
        "Each figure is a ratio to a baseline measured in the same run on the same machine;",
        "absolute figures vary with the machine, ratios much less.",
        "",
        f"Written {when} on {machine()}; each benchmark's own time is in its JSON file.",
        "",
        *rows,
        "",
    ]
    args.out.write_text("\n".join(document), encoding="utf-8")
    print("\n".join(rows))
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
