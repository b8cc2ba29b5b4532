"""CPU per record of credit's replay apply path, no broker: what a credit replay adds to a
decode-only consume (bench-fold's credit ratio), measured alone so a loaded machine cannot blur
it, and where it goes (`--profile`).

Safety's enterprise topic as bench-replay's credit replay reads it: per night-work violation a
`ViolationRecorded` (counted) and a `PointsDeducted` (ignored), over 200 enterprises, spread
over a year (`replay_log.night`: so items expire and the clock of event time moves rows, as
in a year's rebuild; `--days 0` puts them a minute apart, bench-fold's shape), in polls of
2,000 applied as a replay does (guard in memory, no outbox, bulk load), after a warm-up poll.
`--late N`: 1 violation in 10 comes N records after its place (a replay reading
facts from other topics after later ones: 1,000 is within a transaction, 5,000 across).
`--fetch N`: bench-replay's credit topics instead (`credit_log.py`: `--violations` inputs, tips
and maintenance records on their own topics, read N records of each topic in turn, as a
replay's fetches read them). Prints CPU per record for the apply path and for decoding alone.
Fewer enterprises make each one's history longer (a cost that grows with it shows there).

    .venv/bin/python benchmarks/credit_apply_cpu.py [--violations 15000] [--enterprises 200]
        [--days 365] [--late 0] [--fetch 0] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from credit_log import NIGHT_WORK, violation, year_records
from replay_log import night
from tianmen_credit.bootstrap import build
from tianmen_credit.config import Settings
from tianmen_events import DomainEvent, EventMeta, decode
from tianmen_runtime.bulk_load import bulk_load
from tianmen_runtime.projection import Applying, apply_batch
from tianmen_runtime.replay import REPLAY_POLL_RECORDS
from tianmen_runtime.replay_window import ReplayWindow
from tianmen_runtime.testing import Record, TopicLog

START = datetime(2026, 1, 1, 15, tzinfo=UTC)


def records(
    violations: int, enterprises: int = 200, year: bool = True, late: int = 0
) -> list[Record]:
    """The topic's records; with `late`, 1 violation in 10 (and its deduction) comes `late`
    records after its place (as a replay reads a tip or a maintenance record on its own topic
    after later facts of the same enterprise)."""
    placed: list[tuple[int, DomainEvent, EventMeta]] = []
    for n in range(violations):
        ent = f"ent-{n % enterprises}"
        at = night(n, violations) if year else START + timedelta(minutes=n)
        for k, (event, meta) in enumerate(violation(n, ent, at, NIGHT_WORK, 3)):
            placed.append((2 * n + k + (late if n % 10 == 7 else 0), event, meta))
    log = TopicLog()
    return [log.record(event, meta) for _, event, meta in sorted(placed, key=lambda p: p[0])]


def apply_path(folder: Path, polls: list[list[Record]], profile: bool) -> float:
    service = build(Settings(database_url=f"sqlite:///{folder / 'credit.db'}"))
    subscription = service.subscription
    assert subscription is not None
    window = ReplayWindow(subscription.name, subscription.duplicate_window)
    how = Applying(window, outbox=False, timed=False, settles=False)  # as `replay` applies
    profiler = cProfile.Profile() if profile else None
    with bulk_load(service.engine):
        apply_batch(service.engine, subscription, polls[0], how)
        cpu, count = time.process_time(), 0
        gc.disable()
        if profiler:
            profiler.enable()
        for poll in polls[1:]:
            count += len(apply_batch(service.engine, subscription, poll, how))
        if profiler:
            profiler.disable()
        gc.enable()
        spent = time.process_time() - cpu
    if profiler:
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "tottime")).print_stats(
            int(os.environ.get("TOP", "25"))
        )
    return spent / count * 1e6


def decode_only(polls: list[list[Record]]) -> float:
    cpu, count = time.process_time(), 0
    for poll in polls[1:]:
        for record in poll:
            decode(record.headers, record.value)
            count += 1
    return (time.process_time() - cpu) / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--violations", type=int, default=15_000)
    parser.add_argument("--enterprises", type=int, default=200)
    parser.add_argument("--days", type=int, choices=(0, 365), default=365)
    parser.add_argument("--late", type=int, default=0, help="records 1 violation in 10 comes late")
    parser.add_argument("--fetch", type=int, default=0, help="bench-replay's topics (credit_log)")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    many = args.violations + REPLAY_POLL_RECORDS // 2
    if args.fetch:
        found = year_records(many, args.enterprises, args.fetch)
    else:
        found = records(many, args.enterprises, args.days > 0, args.late)
    poll = REPLAY_POLL_RECORDS
    polls = [found[at : at + poll] for at in range(0, len(found), poll)]
    with tempfile.TemporaryDirectory() as folder:
        applied = apply_path(Path(folder), polls, args.profile)
    decoded = decode_only(polls)
    print(
        f"credit: {len(found) - len(polls[0]):,} records through replay's apply path, "
        f"{applied:.1f} us CPU a record; decode alone {decoded:.1f} us "
        f"(decode-only / apply = {decoded / applied:.3f})"
    )


if __name__ == "__main__":
    main()
