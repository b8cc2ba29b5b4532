"""CPU per event of a replay's apply path, no broker: what a replay adds to a decode-only
consume (bench-fold's replay ratio), measured alone so a loaded machine cannot blur it.

1. Safety: night-work alerts over 200 enterprises through safety's subscription as a replay
   applies them (polls of 2,000 in one transaction each, guard in memory, no outbox, bulk
   load, collector waiting), after a warm-up poll; CPU time per alert (decode included), and
   for the first and last third of the polls: nothing comes back from `safety.case` here, so
   every docket's openings in flight grow through the run (a cost that grows with them shows
   as a last third dearer than the first).
2. Credit: one enterprise's ledger folded from 100, 1,000 and 10,000 violations; CPU per
   fact (flat when folding is linear).

    .venv/bin/python benchmarks/apply_cpu.py [--alerts 10000]
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fold_cost import night_alert
from tianmen_credit.adapters.models import current_model
from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.ledger import ledger_of
from tianmen_runtime.bulk_load import bulk_load
from tianmen_runtime.projection import Applying, apply_batch
from tianmen_runtime.replay import REPLAY_POLL_RECORDS
from tianmen_runtime.replay_window import ReplayWindow
from tianmen_runtime.testing import TopicLog
from tianmen_safety.bootstrap import build
from tianmen_safety.config import Settings

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def safety_us_per_alert(folder: Path, alerts: int, enterprises: int = 200) -> list[float]:
    """CPU per alert of each poll, in order (flat when an alert's cost does not grow)."""
    service = build(Settings(database_url=f"sqlite:///{folder / 'safety.db'}"))
    subscription = service.subscription
    assert subscription is not None
    log, poll = TopicLog(), REPLAY_POLL_RECORDS
    warm = [log.record(*night_alert(f"warm-{i % enterprises}", i)) for i in range(poll)]
    timed = [log.record(*night_alert(f"ent-{i % enterprises}", i)) for i in range(alerts)]
    how = Applying(ReplayWindow(subscription.name, subscription.duplicate_window), outbox=False)
    with bulk_load(service.engine):
        apply_batch(service.engine, subscription, warm, how)
        spent = []
        for at in range(0, alerts, poll):
            cpu = time.process_time()
            gc.disable()
            outcomes = apply_batch(service.engine, subscription, timed[at : at + poll], how)
            gc.enable()
            spent.append((time.process_time() - cpu) / len(outcomes) * 1e6)
            assert set(outcomes) == {"applied"}, set(map(str, outcomes))
    return spent


def credit_us_per_fact(facts: int) -> float:
    model = current_model()
    found = [
        Fact(f"e{i}", "violation", "ent-1", at, at, "night_work_without_permit", "serious", 3)
        for i in range(facts)
        for at in [T0 + timedelta(hours=i)]
    ]
    cpu = time.process_time()
    ledger = ledger_of("ent-1", found, model)
    spent = time.process_time() - cpu
    assert len(ledger.items) == facts
    return spent / facts * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        polls = safety_us_per_alert(Path(folder), args.alerts)
    third = max(1, len(polls) // 3)
    first, last = polls[:third], polls[-third:]
    print(
        f"safety: {args.alerts:,} alerts through replay's apply path, "
        f"{sum(polls) / len(polls):.1f} us CPU an alert "
        f"(first third {sum(first) / len(first):.1f}, last third {sum(last) / len(last):.1f})"
    )
    for facts in (100, 1_000, 10_000):
        print(
            f"credit: a ledger of {facts:,} facts folded, {credit_us_per_fact(facts):.1f} us a fact"
        )


if __name__ == "__main__":
    main()
