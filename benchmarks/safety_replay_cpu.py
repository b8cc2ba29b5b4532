"""Safety's replay against a decode-only consume of the same topics, through a real broker:
bench-fold's safety ratio alone, in interleaved pairs of two source trees (old and new), CPU
time a record, min and median of the pairs (`credit_replay_cpu.py`'s harness, safety's log).

The log is bench-fold's: `--alerts` night-work alerts over 200 enterprises on
`telemetry.alert`, then the dockets a first replay derived from them on `safety.case` (what live
safety published). Each pass runs in a fresh process (`--tree DIR` puts DIR's sources first)
that times a decode-only consume and safety's replay into a fresh SQLite store; the replay
window's write at the end is timed on its own (`window_write_us`, CPU a record), and the pass's
wall ratio (`wall_ratio`, bench-fold's figure: the decode-only consume's seconds over the
replay's; on a shared machine it moves with the load far more than the CPU does).

    .venv/bin/python benchmarks/safety_replay_cpu.py [--alerts 31500] [--pairs 3]
        [--tree OLD_DIR --tree NEW_DIR]       # default: this tree alone
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from credit_replay_cpu import in_pairs, per_record

SCRIPT = Path(__file__).resolve()


def publish(bootstrap: str, alerts: int) -> None:
    from bench_fold import publish_alerts, publish_derived, replayed
    from tianmen_events.topics import SAFETY_CASE, by_name
    from tianmen_runtime.kafka_io import ensure_topics
    from tianmen_safety.bootstrap import build

    service = build()
    assert service.subscription is not None
    ensure_topics(bootstrap, [by_name(name) for name in sorted(service.subscription.topics)])
    publish_alerts(bootstrap, alerts, 200)
    with tempfile.TemporaryDirectory() as folder:
        replayed(service, bootstrap, f"sqlite:///{folder}/live.db")
        publish_derived(service, bootstrap, f"sqlite:///{folder}/live.db", SAFETY_CASE.name)


def one_pass(bootstrap: str) -> dict[str, float]:
    """CPU us a record: decode-only, then safety's replay into a fresh store."""
    from baseline import decode_only_timed
    from sqlalchemy import func, select
    from tianmen_events.topics import SAFETY_CASE, TELEMETRY_ALERT
    from tianmen_runtime import replay_window
    from tianmen_runtime.db import make_engine, processed_events
    from tianmen_runtime.replay import replay
    from tianmen_runtime.replay_window import ReplayWindow
    from tianmen_safety.bootstrap import build

    decoded = decode_only_timed(bootstrap, [TELEMETRY_ALERT.name, SAFETY_CASE.name])
    service = build()
    assert service.subscription is not None
    writing = [0.0]
    write = ReplayWindow.write

    def timed_write(self: ReplayWindow, conn: Any) -> None:
        cpu = time.process_time()
        write(self, conn)
        writing[0] += time.process_time() - cpu

    if replay_window.__file__.endswith(".py"):
        ReplayWindow.write = timed_write  # type: ignore[method-assign]
    else:  # a tree compiled by mypyc (round 18): native calls would bypass the patched method
        writing[0] = float("nan")
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/safety.db", service.metadata)
        cpu, started = time.process_time(), time.perf_counter()
        outcomes = replay(engine, service.subscription, bootstrap).outcomes
        spent, elapsed = time.process_time() - cpu, time.perf_counter() - started
        with engine.connect() as conn:
            kept = int(
                conn.execute(select(func.count()).select_from(processed_events)).scalar_one()
            )
    figures: dict[str, float] = per_record(outcomes, decoded, spent)
    figures["window_write_us"] = writing[0] / figures["records"] * 1e6
    figures["window_rows"] = kept
    figures["wall_ratio"] = decoded.seconds / elapsed
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=31_500)
    in_pairs(parser, one_pass, lambda bootstrap, args: publish(bootstrap, args.alerts), SCRIPT)


if __name__ == "__main__":
    main()
