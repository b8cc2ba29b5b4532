"""CPU per report of telemetry's alert decision (`domain.alerts.decide`), two source trees in
interleaved pairs: what asking whose an alert id is (decision 95) costs the report path.

Three cases, each `--reports` reports of one machine, decided against the rules in memory:
`night_open` (working at night, its night-work alert open: the rule fires and finds its id
raised, the common case while an alert is open), `night_new` (the rule fires, its id never
raised: an alert raised each time) and `day` (working by day on no site: nothing fires).

    .venv/bin/python benchmarks/alert_decide_cpu.py --tree /work/main --tree . [--pairs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CST = timezone(timedelta(hours=8))


def one(reports: int) -> dict[str, float]:
    """This interpreter's tree: CPU microseconds per decided report, per case."""
    from tianmen_events import derive_id
    from tianmen_events.codes import AlertRule
    from tianmen_events.telemetry import TerminalReported
    from tianmen_telemetry.domain import alerts
    from tianmen_telemetry.domain.alerting import Seen
    from tianmen_telemetry.domain.live_state import evolve
    from tianmen_telemetry.domain.rules import RULES

    def report(at: datetime) -> TerminalReported:
        return TerminalReported(
            report_id=derive_id("report", "13800000001", at.isoformat()),
            terminal_id="13800000001",
            machine_id="machine-1",
            enterprise_id="enterprise-1",
            reported_at=at,
            latitude=30.6531,
            longitude=113.1661,
            working=True,
        )

    def seens(start: datetime) -> list[Seen]:
        out, before = [], None
        for n in range(reports):
            r = report(start + timedelta(seconds=30 * n))
            after = evolve(before, r)
            out.append(Seen(r, before, after))
            before = after
        return out

    night = seens(datetime(2026, 5, 11, 22, 0, tzinfo=CST))
    day = seens(datetime(2026, 5, 11, 9, 0, tzinfo=CST))
    first = alerts.decide(night[0], rules=RULES, raised={}).raised[0]
    whose = {first.alert_id: first.enterprise_id}
    ever: Any = whose if hasattr(alerts, "owned_id") else set(whose)  # main took a set
    held = {AlertRule.NIGHT_WORK: alerts.OpenAlert(first.alert_id, first.enterprise_id)}
    nothing: Any = {} if hasattr(alerts, "owned_id") else set()

    def cpu(seen_: list[Seen], raised: Any, open_: Any) -> float:
        started = time.process_time()
        for s in seen_:
            alerts.decide(s, rules=RULES, raised=raised, open_alerts=open_)
        return (time.process_time() - started) / len(seen_) * 1e6

    cpu(night[:200], ever, held)  # warm
    return {
        "night_open": cpu(night, ever, held),
        "night_new": cpu(night, nothing, {}),
        "day": cpu(day, nothing, {}),
    }


def run_in(tree: Path, reports: int) -> dict[str, float]:
    paths = [str(tree / "services" / "telemetry" / "src"), str(tree / "libs" / "events" / "src")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    command = [sys.executable, __file__, "--pass", "--reports", str(reports)]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    figures: dict[str, float] = json.loads(out)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tree", type=Path, action="append", default=[])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--pass", dest="one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.reports)))
        return
    trees: list[Path] = list(args.tree) or [HERE.parent]
    figures: list[list[dict[str, float]]] = [[] for _ in trees]
    for n in range(args.pairs):
        order = list(range(len(trees)))
        if n % 2:
            order.reverse()  # in turns: neither tree always runs first
        for i in order:
            figures[i].append(run_in(trees[i], args.reports))
            print(f"pair {n + 1} {trees[i]}: {figures[i][-1]}", flush=True)
    for case in figures[0][0]:
        mins = [min(f[case] for f in runs) for runs in figures]
        medians = [statistics.median(f[case] for f in runs) for runs in figures]
        ratios = " ".join(f"{m / mins[0]:.3f}x" for m in mins)
        print(
            f"{case}: min {' / '.join(f'{m:.2f}' for m in mins)} us, median "
            f"{' / '.join(f'{m:.2f}' for m in medians)} us a report (min vs the first tree: {ratios})"
        )


if __name__ == "__main__":
    main()
