"""Credit's replay against a decode-only consume of the same topic, through a real broker:
bench-fold's credit ratio alone, in interleaved pairs of two source trees (old and new), so a
change's gain is measured on the CPU time a record, min and median of the pairs.

The log is bench-fold's shape (`credit_apply_cpu.records`, `--days 0`): per night-work
violation a `ViolationRecorded` (counted) and its `PointsDeducted` (ignored) on
`safety.enterprise`, 200 enterprises, a minute apart. Each pass runs in a fresh process (a tree's
packages first on its path: `--tree DIR` puts DIR's `libs/*/src` and `services/*/src` ahead of
the installed ones) that times a decode-only consume and `tianmen_credit replay` into a fresh
SQLite store, CPU time of the process a record.

    .venv/bin/python benchmarks/credit_replay_cpu.py [--violations 31500] [--pairs 3]
        [--tree OLD_DIR --tree NEW_DIR]       # default: this tree alone
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from baseline import Timed

HERE = Path(__file__).resolve().parent
PYSPY = ["uv", "tool", "run", "py-spy", "record", "--format", "raw", "--rate", "250"]


def publish(bootstrap: str, violations: int) -> None:
    from credit_apply_cpu import records
    from tianmen_credit.bootstrap import build
    from tianmen_events.topics import by_name
    from tianmen_runtime.kafka_io import ensure_topics, make_producer

    subscription = build().subscription
    assert subscription is not None  # its other topics are there, empty, as in bench-fold
    ensure_topics(bootstrap, [by_name(name) for name in sorted(subscription.topics)])
    producer = make_producer(bootstrap, "bench-credit", delivery_timeout_s=300)
    sent = [
        producer.send(r.topic, key=r.key, value=r.value, headers=r.headers)
        for r in records(violations, 200, year=False)
    ]
    producer.flush()
    for future in sent:
        future.get()
    producer.close()


def one_pass(bootstrap: str) -> dict[str, float]:
    """CPU us a record: decode-only, then credit's replay into a fresh store."""
    from baseline import decode_only_timed
    from tianmen_credit.bootstrap import build
    from tianmen_events.topics import SAFETY_ENTERPRISE
    from tianmen_runtime.db import make_engine
    from tianmen_runtime.replay import replay

    decoded = decode_only_timed(bootstrap, [SAFETY_ENTERPRISE.name])
    service = build()
    assert service.subscription is not None
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/credit.db", service.metadata)
        cpu = time.process_time()
        outcomes = replay(engine, service.subscription, bootstrap).outcomes
        spent = time.process_time() - cpu
    return per_record(outcomes, decoded, spent)


def per_record(outcomes: dict[str, int], decoded: Timed, spent: float) -> dict[str, float]:
    """A pass's CPU us a record, the replay's (`spent` seconds) and the decode-only's, which
    read the same records."""
    count = sum(outcomes.values())
    assert count == decoded.records, (count, decoded.records)
    return {
        "records": count,
        "decode_only_us": decoded.cpu_seconds / count * 1e6,
        "replay_us": spent / count * 1e6,
    }


def run_in(
    tree: Path | None, bootstrap: str, script: Path = HERE / "credit_replay_cpu.py"
) -> dict[str, float]:
    """One `--pass` of `script` in a fresh process, `tree`'s sources first on its path."""
    env = dict(os.environ)
    if tree is not None:
        paths = sorted(str(p) for p in tree.glob("libs/*/src")) + sorted(
            str(p) for p in tree.glob("services/*/src")
        )
        env["PYTHONPATH"] = os.pathsep.join([*paths, str(HERE)])
    command = [sys.executable, str(script), "--pass", bootstrap]
    if os.environ.get("PYSPY"):  # py-spy's folded stacks of the pass, to this file
        command = [*PYSPY, "-o", os.environ["PYSPY"], "--", *command]
    out = subprocess.run(
        command,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    # The pass's figures are its last JSON line: py-spy, under PYSPY, prints its summary after.
    figures = [line for line in out.splitlines() if line.startswith("{")]
    return dict(json.loads(figures[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--violations", type=int, default=31_500)
    in_pairs(parser, one_pass, lambda bootstrap, args: publish(bootstrap, args.violations))


def in_pairs(
    parser: argparse.ArgumentParser,
    one: Callable[[str], dict[str, float]],
    publish: Callable[[str, argparse.Namespace], None],
    script: Path = HERE / "credit_replay_cpu.py",
) -> None:
    """`--pass BOOTSTRAP`: `one` pass, its figures as JSON; else the log published (`publish`)
    and `--pairs` passes of each `--tree` in turns, then each tree's min and median."""
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--tree", type=Path, action="append", default=[])
    parser.add_argument("--bootstrap", help="a broker the log is already on (else one started)")
    parser.add_argument("--pass", dest="one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one)))
        return
    from tianmen_devkit.broker import choose_broker

    trees: list[Path | None] = list(args.tree) or [None]
    figures: dict[int, list[dict[str, float]]] = {i: [] for i in range(len(trees))}
    with nullcontext(args.bootstrap) if args.bootstrap else choose_broker() as bootstrap:
        if not args.bootstrap:
            publish(bootstrap, args)
        for n in range(args.pairs):
            order = list(range(len(trees)))
            if n % 2:
                order.reverse()  # in turns: neither tree always runs first
            for i in order:
                figures[i].append(run_in(trees[i], bootstrap, script))
                f = figures[i][-1]
                more = ", ".join(
                    f"{k} {v:,.1f}" if abs(v) >= 10 else f"{k} {v:.3f}"
                    for k, v in f.items()
                    if k not in _SHOWN and k != "records"
                )
                print(
                    f"pair {n + 1} {trees[i] or 'this tree'}: replay {f['replay_us']:.1f} us "
                    f"a record, decode-only {f['decode_only_us']:.1f} "
                    f"(CPU ratio {f['decode_only_us'] / f['replay_us']:.3f})"
                    + (f"; {more}" if more else ""),
                    flush=True,
                )
    for i, tree in enumerate(trees):
        replay_us = [f["replay_us"] for f in figures[i]]
        ratios = [f["decode_only_us"] / f["replay_us"] for f in figures[i]]
        print(
            f"{tree or 'this tree'}: {int(figures[i][0]['records']):,} records; replay CPU a "
            f"record min {min(replay_us):.1f} median {statistics.median(replay_us):.1f} us; "
            f"CPU ratio to decode-only min {min(ratios):.3f} median {statistics.median(ratios):.3f}"
        )


_SHOWN = frozenset({"replay_us", "decode_only_us"})


if __name__ == "__main__":
    main()
