"""Decoding an event's instants, alone and with what its consumers then do with them (decision
115), in interleaved pairs of two source trees, each pass a fresh process (`--tree DIR` puts
DIR's `libs/*/src` first on its path, as `credit_replay_cpu.py` does).

Per pass, the best of `--repeat` timings of `--number` calls, in us a call:
- `report`: `TerminalReported.model_validate_json` of a report (one instant), as `decode` does;
- `alert`: the same of a night-work alert with three reports as evidence (four instants);
- `report_use`: a report decoded, then what telemetry's worker does with its instant: four
  compares or subtractions against UTC instants (the live state's, a day's bounds) and one
  `astimezone(UTC)` (h90's usage step, decision 110);
- `alert_use`: an alert decoded, then safety's: its instant against a case's UTC instants
  (two compares, one subtraction) and the evidence's times checked in order;
- `report_gmt8`, `report_gmt8_use`: a report written at +08:00 (a JT/T 808 terminal's).

    .venv/bin/python benchmarks/instant_decode_cpu.py --tree OLD_DIR --tree NEW_DIR [--pairs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import timeit
from pathlib import Path

SCRIPT = Path(__file__).resolve()

REPORT = (
    '{"report_id":"r-1","terminal_id":"13800000000","machine_id":"m-1","enterprise_id":"e-1",'
    '"reported_at":"%s","latitude":30.65,"longitude":113.16,"working":true,'
    '"engine_hours":null,"fuel_level_pct":null,"alarms":[],"engine_number":null}'
)
FIX = '{"report_id":"r-%d","reported_at":"2026-05-12T14:%02d:30Z","latitude":30.65,"longitude":113.16,"working":true}'
ALERT = (
    '{"alert_id":"a-1","enterprise_id":"e-1","machine_id":"m-1","terminal_id":"t-1",'
    '"rule":"night_work","rule_version":"1","observed_at":"2026-05-12T14:02:30.250000Z",'
    '"latitude":30.65,"longitude":113.16,"detail":"working at 22:02",'
    '"evidence":[' + ",".join(FIX % (i, i) for i in range(3)) + '],"jurisdiction":"429006"}'
)


def one_pass(number: int, repeat: int) -> dict[str, float]:
    from datetime import UTC, datetime, timedelta

    from tianmen_events.telemetry import AlertRaised, TerminalReported

    report_utc = (REPORT % "2026-05-12T08:00:30.125000Z").encode()
    report_gmt8 = (REPORT % "2026-05-12T16:00:30+08:00").encode()
    alert = ALERT.encode()
    last = datetime(2026, 5, 12, 8, 0, 0, tzinfo=UTC)
    start, end = datetime(2026, 5, 11, 16, tzinfo=UTC), datetime(2026, 5, 12, 16, tzinfo=UTC)
    case_at, due = datetime(2026, 5, 12, 14, tzinfo=UTC), datetime(2026, 5, 13, 14, tzinfo=UTC)
    gap = timedelta(minutes=10)

    def report_use(body: bytes) -> object:
        at = TerminalReported.model_validate_json(body).reported_at
        return (at > last, at - last < gap, start <= at < end, at.astimezone(UTC))

    def alert_use() -> object:
        raised = AlertRaised.model_validate_json(alert)
        at = raised.observed_at
        times = [fix.reported_at for fix in raised.evidence]
        return (at >= case_at, at < due, due - at, times == sorted(times))

    cases = {
        "report": lambda: TerminalReported.model_validate_json(report_utc),
        "alert": lambda: AlertRaised.model_validate_json(alert),
        "report_use": lambda: report_use(report_utc),
        "alert_use": alert_use,
        "report_gmt8": lambda: TerminalReported.model_validate_json(report_gmt8),
        "report_gmt8_use": lambda: report_use(report_gmt8),
    }
    return {
        name: min(timeit.repeat(call, number=number, repeat=repeat)) / number * 1e6
        for name, call in cases.items()
    }


def run_in(tree: Path, number: int, repeat: int) -> dict[str, float]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(sorted(str(p) for p in tree.glob("libs/*/src")))
    command = [sys.executable, str(SCRIPT), "--pass", "--number", str(number)]
    out = subprocess.run(
        [*command, "--repeat", str(repeat)], env=env, check=True, capture_output=True, text=True
    )
    figures: dict[str, float] = json.loads(out.stdout)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tree", type=Path, action="append", default=[])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--number", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pass", dest="one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_pass(args.number, args.repeat)))
        return
    trees: list[Path] = list(args.tree) or [SCRIPT.parent.parent]
    figures: dict[int, list[dict[str, float]]] = {i: [] for i in range(len(trees))}
    for n in range(args.pairs):
        order = list(range(len(trees)))
        if n % 2:
            order.reverse()  # in turns: neither tree always runs first
        for i in order:
            figures[i].append(run_in(trees[i], args.number, args.repeat))
            line = " ".join(f"{k} {v:.2f}" for k, v in figures[i][-1].items())
            print(f"pair {n + 1} {trees[i]}: {line}", flush=True)
    for i, tree in enumerate(trees):
        print(f"{tree}: us a call, min / median of {args.pairs} passes")
        for name in figures[i][0]:
            values = [f[name] for f in figures[i]]
            print(f"  {name:16} {min(values):6.2f} / {statistics.median(values):6.2f}")


if __name__ == "__main__":
    main()
