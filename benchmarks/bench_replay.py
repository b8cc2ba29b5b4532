"""Replay and as-of cost of the credit audit, from one run on a real broker.

- `raw`: a decode-only consume of the domain topics credit counts (safety.enterprise,
  reports.tip, registry.machine, credit.repair) holding `--events` events.
- `rebuild`: credit rebuilding from them, two ways, each against `raw` in the same run:
  the live service's replay into a fresh SQLite store (`tianmen_runtime.replay`, the live rows
  under the live model, ledgers kept in memory between transactions), and the audit's rebuild
  of every enterprise's ledger under the live model (read the log with record times, derive
  facts, fold) — what what-if and as-of start from.
- `as_of_ms` vs `rebuild_ms`: one enterprise's as-of answer (known then / now known / late)
  from the facts kept per enterprise (what a snapshot store holds), against rebuilding every
  ledger from the decoded log; and a snapshot + tail against a full fold of one ledger.

    make bench-replay                    # 100,000 events by default (2 shared cores here)
    python benchmarks/bench_replay.py --events 1000000 --enterprises 2000

Writes var/bench/replay.json (bench_results' Figure format).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from baseline import decode_only
from bench_results import Figure, write
from tianmen_credit.adapters.models import current_model
from tianmen_credit.audit.history import TOPICS, facts_of, read_history
from tianmen_credit.bootstrap import build as build_credit
from tianmen_credit.domain.asof import as_of
from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.ledger import Ledger, empty, evolve, fold, in_order
from tianmen_credit.domain.standing import standing
from tianmen_credit.domain.whatif import ledgers
from tianmen_devkit.broker import choose_broker
from tianmen_events import EventMeta, encode
from tianmen_events.ids import derive_id
from tianmen_events.safety import ViolationRecorded
from tianmen_events.topics import CREDIT_REPAIR, REGISTRY_MACHINE, REPORTS_TIP, SAFETY_ENTERPRISE
from tianmen_runtime.db import make_engine
from tianmen_runtime.kafka_io import ensure_topics, make_producer
from tianmen_runtime.replay import replay
from tianmen_runtime.snapshots import resume, take_snapshots

START = datetime(2025, 6, 1, tzinfo=UTC)
CODES = ("night_work_without_permit", "continuous_work_beyond_limit", "construction_dust")
MODEL = current_model()


def violation(n: int, enterprises: int, events: int) -> tuple[ViolationRecorded, EventMeta, int]:
    enterprise_id = f"ent-{n % enterprises}"
    at = START + timedelta(seconds=n * (365 * 86400 // max(events, 1)))
    event = ViolationRecorded(
        enterprise_id=enterprise_id,
        violation_id=derive_id("bench", n),
        machine_id=None,
        code=CODES[n % 3],
        description="bench",
        occurred_at=at,
        source_event_id=f"a{n}",
        source_event_type="tianmen.telemetry.alert_raised",
        points=1 + n % 5,
        rule_version="r",
    )
    meta = EventMeta(
        derive_id("bench-violation", n),
        "/tianmen/safety",
        at,
        enterprise_id,
        n // enterprises + 1,
        f"corr-{n}",
    )
    recorded = at + timedelta(minutes=5 if n % 97 else 60 * 24 * 30)  # some arrive a month late
    return event, meta, int(recorded.timestamp() * 1000)


def publish(bootstrap: str, events: int, enterprises: int) -> None:
    ensure_topics(bootstrap, [SAFETY_ENTERPRISE, REPORTS_TIP, REGISTRY_MACHINE, CREDIT_REPAIR])
    producer = make_producer(bootstrap, "bench-replay", delivery_timeout_s=300)
    sent = []
    for n in range(events):
        event, meta, stamp = violation(n, enterprises, events)
        m = encode(event, meta)
        sent.append(
            producer.send(m.topic, key=m.key, value=m.value, headers=m.headers, timestamp_ms=stamp)
        )
    producer.flush()
    for future in sent:
        future.get()  # every event is on the log, or the benchmark stops here
    producer.close()


def timed(what: object) -> tuple[object, float]:
    started = time.perf_counter()
    result = what() if callable(what) else what
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--enterprises", type=int, default=500)
    args = parser.parse_args()
    with choose_broker() as bootstrap, tempfile.TemporaryDirectory() as folder:
        publish(bootstrap, args.events, args.enterprises)
        records, raw_s = decode_only(bootstrap, list(TOPICS))
        assert records == args.events, f"{records} of {args.events} events on the log"
        credit = build_credit()
        assert credit.subscription is not None
        engine = make_engine(f"sqlite:///{Path(folder) / 'credit.db'}", credit.metadata)
        _, live_s = timed(lambda: replay(engine, credit.subscription, bootstrap))
        started = time.perf_counter()
        facts = facts_of(read_history(bootstrap))
        rebuilt = ledgers(facts, MODEL)
        audit_s = time.perf_counter() - started
    figures = [
        Figure(
            "rebuild: credit replay into SQLite (events/s)",
            records / live_s,
            "raw decode-only",
            records / raw_s,
        ),
        Figure(
            "rebuild: audit ledgers from the log (events/s)",
            records / audit_s,
            "raw decode-only",
            records / raw_s,
        ),
        *as_of_figures(facts, rebuilt),
    ]
    for f in figures:
        print(f"{f.label}: {f.value:,.2f} vs {f.baseline} {f.baseline_value:,.2f} = {f.ratio:.3f}x")
    print(f"{records:,} events, {args.enterprises} enterprises")
    print(f"wrote {write('replay', 'events/s; ms for as-of', figures)}")


def as_of_figures(facts: list[Fact], rebuilt: dict[str, Ledger]) -> list[Figure]:
    by_enterprise: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        by_enterprise[fact.enterprise_id].append(fact)
    at = max(f.at for f in facts) - timedelta(days=120)
    mine = in_order(by_enterprise["ent-0"])  # the order every ledger is folded in
    _, as_of_s = timed(lambda: as_of("ent-0", mine, MODEL, at, at))
    _, rebuild_s = timed(lambda: [standing(v, MODEL, at) for v in ledgers(facts, MODEL).values()])
    start = empty("ent-0", MODEL)
    step = lambda ledger, fact: evolve(ledger, fact, MODEL)  # noqa: E731
    snapshots = take_snapshots(start, mine, step, max(1, len(mine) // 4))
    _, tail_s = timed(lambda: resume(start, snapshots, mine, step))
    _, full_s = timed(lambda: fold(start, mine, MODEL))
    assert resume(start, snapshots, mine, step) == fold(start, mine, MODEL) == rebuilt["ent-0"]
    return [
        Figure(
            "as_of_ms: one enterprise, known then + now known",
            as_of_s * 1e3,
            "rebuild_ms: every ledger",
            rebuild_s * 1e3,
        ),
        Figure(
            "snapshot + tail ms: one ledger", tail_s * 1e3, "full fold ms: one ledger", full_s * 1e3
        ),
    ]


if __name__ == "__main__":
    main()
