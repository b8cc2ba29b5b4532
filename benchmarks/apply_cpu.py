"""CPU per event of a replay's apply path, no broker: what a replay adds to a decode-only
consume (bench-fold's replay ratio), measured alone so a loaded machine cannot blur it.

1. Safety: night-work alerts over 200 enterprises through safety's subscription as a replay
   applies them (polls of 2,000 in one transaction each, guard in memory, no outbox, bulk
   load, collector waiting), after a warm-up poll; CPU time per alert (decode included), and
   for the first and last third of the polls: nothing comes back from `safety.case` here, so
   every docket's openings in flight grow through the run (a cost that grows with them shows
   as a last third dearer than the first). Then the same alerts with the docket events they
   appended coming back from `safety.case`: in their alert's poll, and as bench-fold's
   replay polls them (each poll one topic's: all the alerts, then the docket).
2. Credit: one enterprise's ledger folded from 100, 1,000 and 10,000 violations; CPU per
   fact (flat when folding is linear).

    .venv/bin/python benchmarks/apply_cpu.py [--alerts 10000]
"""

from __future__ import annotations

import argparse
import gc
import json
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fold_cost import night_alert
from tianmen_credit.adapters.models import current_model
from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.ledger import ledger_of
from tianmen_events.safety.cases import docket_of
from tianmen_runtime.bulk_load import bulk_load
from tianmen_runtime.event_store import EventStore, Recorded
from tianmen_runtime.projection import Applying, Subscription, apply_batch
from tianmen_runtime.replay import REPLAY_POLL_RECORDS
from tianmen_runtime.replay_window import ReplayWindow
from tianmen_runtime.service import Service
from tianmen_runtime.testing import Record, TopicLog
from tianmen_safety.bootstrap import build
from tianmen_safety.config import Settings

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _safety(url: str) -> tuple[Service, Subscription, Applying]:
    service = build(Settings(database_url=url))
    subscription = service.subscription
    assert subscription is not None
    window = ReplayWindow(subscription.name, subscription.duplicate_window)
    how = Applying(window, outbox=False, timed=False, settles=False)  # as `replay` applies
    return service, subscription, how


def _timed(url: str, polls: list[list[Record]]) -> list[float]:
    """Apply each poll as a replay does, after the first (a warm-up); CPU seconds of each
    timed poll."""
    service, subscription, how = _safety(url)
    spent = []
    with bulk_load(service.engine):
        apply_batch(service.engine, subscription, polls[0], how)
        for records in polls[1:]:
            cpu = time.process_time()
            gc.disable()
            outcomes = apply_batch(service.engine, subscription, records, how)
            gc.enable()
            spent.append(time.process_time() - cpu)
            assert set(outcomes) == {"applied"}, set(map(str, outcomes))
    return spent


def _polls(records: list[Record], size: int = REPLAY_POLL_RECORDS) -> list[list[Record]]:
    return [records[at : at + size] for at in range(0, len(records), size)]


def safety_alerts(folder: Path, warm: list[Record], alerts: list[Record]) -> list[float]:
    """Alerts alone, polls of 2,000 (CPU per alert of each poll, in order)."""
    polls = _polls(alerts)
    spent = _timed(f"sqlite:///{folder / 'alerts.db'}", [warm, *polls])
    return [seconds / len(poll) * 1e6 for seconds, poll in zip(spent, polls, strict=True)]


def safety_with_dockets(folder: Path, warm: list[Record], alerts: list[Record]) -> dict[str, float]:
    """Alerts with their dockets coming back from `safety.case` (as the alerts-only run
    appended them), two ways; CPU per alert, its two docket events included. `same polls`:
    each alert's docket events in its poll (polls of ~2,000 records). `as a replay reads`:
    as bench-fold's replay polled them (10,000 alerts): each poll one topic's 2,000 records,
    the alerts' first, then the docket's, partition after partition."""
    caused = _dockets(folder, alerts)
    case_log, same, docket = TopicLog(), [], []
    for chunk in _polls(alerts, REPLAY_POLL_RECORDS // 3):
        back = [case_log.record(r.event, r.meta) for a in chunk for r in caused[_meta_id(a)]]
        same.append(chunk + back)
        docket += back
    docket.sort(key=lambda record: (record.partition, record.offset))
    read = [*_polls(alerts), *_polls(docket)]
    return {
        "in the same polls": sum(_timed(f"sqlite:///{folder / 'same.db'}", [warm, *same])),
        "as a replay reads them": sum(_timed(f"sqlite:///{folder / 'read.db'}", [warm, *read])),
    }


def _dockets(folder: Path, alerts: list[Record]) -> dict[str | None, list[Recorded]]:
    """The docket events the alerts-only run appended, by the alert's event id (causation)."""
    engine = build(Settings(database_url=f"sqlite:///{folder / 'alerts.db'}")).engine
    caused: dict[str | None, list[Recorded]] = defaultdict(list)
    with engine.connect() as conn:
        store = EventStore(conn, "/tianmen/safety")
        for docket in sorted({docket_of(json.loads(r.value)["enterprise_id"]) for r in alerts}):
            for recorded in store.load(docket):
                caused[recorded.meta.causation_id].append(recorded)
    return caused


def _meta_id(record: Record) -> str:
    return next(v.decode() for k, v in record.headers if k == "ce_id")


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
    log = TopicLog()
    warm = [log.record(*night_alert(f"warm-{i % 200}", i)) for i in range(REPLAY_POLL_RECORDS)]
    alerts = [log.record(*night_alert(f"ent-{i % 200}", i)) for i in range(args.alerts)]
    with tempfile.TemporaryDirectory() as folder:
        polls = safety_alerts(Path(folder), warm, alerts)
        with_dockets = safety_with_dockets(Path(folder), warm, alerts)
    third = max(1, len(polls) // 3)
    first, last = polls[:third], polls[-third:]
    print(
        f"safety: {args.alerts:,} alerts through replay's apply path, "
        f"{sum(polls) / len(polls):.1f} us CPU an alert "
        f"(first third {sum(first) / len(first):.1f}, last third {sum(last) / len(last):.1f})"
    )
    for how, seconds in with_dockets.items():
        print(
            f"safety: the same alerts with their dockets back from safety.case {how}, "
            f"{seconds / args.alerts * 1e6:.1f} us CPU an alert (its two docket events included)"
        )
    for facts in (100, 1_000, 10_000):
        print(
            f"credit: a ledger of {facts:,} facts folded, {credit_us_per_fact(facts):.1f} us a fact"
        )


if __name__ == "__main__":
    main()
