"""Per-event cost that does not grow with history: safety and credit apply each event to their
state rows instead of folding the enterprise's whole history.

1. The median cost of applying one night-work alert to an enterprise with ~10 and ~10,000
   events of history (no broker; target: ratio <= 1.5).
2. Replay: `tianmen_safety replay` over >= 30,000 alerts and the dockets they opened (as live
   safety published them: a first, untimed replay derives them) and `tianmen_credit replay`
   over the safety events they caused, against a decode-only consume of the same topics in
   the same run (target: >= 0.5x). Both timed from the first poll to the end of the topics, on SQLite.

    make bench-fold        # or: python benchmarks/bench_fold.py --alerts 31500 --enterprises 200

Writes var/bench/fold.json.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from baseline import Timed, decode_only_confluent_timed, decode_only_timed
from bench_results import Figure, write
from fold_cost import night_alert, per_alert_seconds
from sqlalchemy import select
from tianmen_credit.bootstrap import build as build_credit
from tianmen_devkit.broker import choose_broker
from tianmen_events import encode
from tianmen_events.topics import SAFETY_CASE, SAFETY_ENTERPRISE, TELEMETRY_ALERT, by_name
from tianmen_runtime.db import events, make_engine
from tianmen_runtime.event_store import EventStore
from tianmen_runtime.kafka_io import ensure_topics, make_producer
from tianmen_runtime.replay import replay
from tianmen_runtime.service import Service
from tianmen_safety.bootstrap import build as build_safety


def publish_alerts(bootstrap: str, alerts: int, enterprises: int) -> None:
    producer = make_producer(bootstrap, "bench-fold", delivery_timeout_s=300)
    sent = []
    for n in range(alerts):
        alert, meta = night_alert(f"ent-{n % enterprises}", n // enterprises)
        m = encode(alert, meta)
        sent.append(producer.send(m.topic, key=m.key, value=m.value, headers=m.headers))
    producer.flush()
    for future in sent:
        future.get()  # every alert is on the log (a busy machine timed some out), or stop here
    producer.close()


def replayed(service: Service, bootstrap: str, url: str) -> tuple[dict[str, int], Timed]:
    assert service.subscription is not None
    engine = make_engine(url, service.metadata)
    started, cpu = time.perf_counter(), time.process_time()
    outcomes = replay(engine, service.subscription, bootstrap).outcomes
    elapsed = Timed(
        sum(outcomes.values()), time.perf_counter() - started, time.process_time() - cpu
    )
    return outcomes, elapsed


def publish_derived(service: Service, bootstrap: str, url: str, topic: str) -> None:
    """Publish what a replayed safety store derived on `topic`, each aggregate's events in
    order (what the live service published; a replay itself publishes nothing)."""
    assert service.subscription is not None
    producer = make_producer(bootstrap, "bench-derived", delivery_timeout_s=300)
    sent = []
    with make_engine(url, service.metadata).connect() as conn:
        store = EventStore(conn, service.subscription.source)
        for aggregate_id in conn.execute(select(events.c.aggregate_id).distinct()).scalars():
            for recorded in store.load(aggregate_id):
                if recorded.event.topic != topic:
                    continue
                m = encode(recorded.event, recorded.meta)
                sent.append(producer.send(m.topic, key=m.key, value=m.value, headers=m.headers))
    producer.flush()
    for future in sent:
        future.get()
    producer.close()


def replay_rates(
    bootstrap: str, folder: Path, alerts: int, enterprises: int
) -> dict[str, dict[str, object]]:
    safety, credit = build_safety(), build_credit()
    consumed = {t for s in (safety, credit) if s.subscription for t in s.subscription.topics}
    ensure_topics(bootstrap, [by_name(name) for name in sorted(consumed)])
    publish_alerts(bootstrap, alerts, enterprises)
    # What live safety published: the dockets its alerts opened (`safety.case`), which come back
    # to it and become the ledger's events; so the timed replay reads both, as a real one does.
    replayed(safety, bootstrap, f"sqlite:///{folder / 'live'}.db")
    publish_derived(safety, bootstrap, f"sqlite:///{folder / 'live'}.db", SAFETY_CASE.name)
    result: dict[str, dict[str, object]] = {}
    for name, service, topics in (
        ("safety", safety, [TELEMETRY_ALERT.name, SAFETY_CASE.name]),
        ("credit", credit, [SAFETY_ENTERPRISE.name]),
    ):
        url = f"sqlite:///{folder / name}.db"
        before = decode_only_timed(bootstrap, topics)
        outcomes, elapsed = replayed(service, bootstrap, url)
        result[name] = {
            "topic": " + ".join(topics),
            **_rates(before, elapsed, decode_only_timed(bootstrap, topics)),
        }
        result[name]["raw_confluent"] = _raw_confluent(bootstrap, topics)
        result[name]["outcomes"] = outcomes
        if name == "safety":
            publish_derived(service, bootstrap, url, SAFETY_ENTERPRISE.name)
    return result


def _raw_confluent(bootstrap: str, topics: list[str]) -> dict[str, float]:
    """The decode-only consume read with confluent-kafka, beside the baseline (kafka-python's,
    as the issue defines it) and never instead of it: what of the baseline is the client's
    fetch (decision 111)."""
    timed = decode_only_confluent_timed(bootstrap, topics)
    return {
        "per_s": round(timed.records / timed.seconds),
        "cpu_us_per_event": round(timed.cpu_seconds / timed.records * 1e6, 1),
    }


def _rates(before: Timed, replay: Timed, after: Timed) -> dict[str, object]:
    """Replay against the faster of two decode-only passes, one just before it and one just
    after (a shared machine's load drifts; the faster pass is the stricter baseline); wall
    clock (the target) and this process's CPU time (what the code costs, steadier)."""
    base = min(before, after, key=lambda t: t.seconds)
    cpu = min(before.cpu_seconds, after.cpu_seconds)
    return {
        "records": base.records,
        "decode_only_per_s": round(base.records / base.seconds),
        "replay_per_s": round(base.records / replay.seconds),
        "replay_vs_decode_only": round(base.seconds / replay.seconds, 3),
        "replay_seconds": round(replay.seconds, 2),
        "cpu_us_per_event": {
            "decode_only": round(cpu / base.records * 1e6, 1),
            "replay": round(replay.cpu_seconds / base.records * 1e6, 1),
        },
        "replay_vs_decode_only_cpu": round(cpu / replay.cpu_seconds, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=31_500)
    parser.add_argument("--enterprises", type=int, default=200)
    parser.add_argument("--samples", type=int, default=300, help="alerts timed per history")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        costs = per_alert_seconds(Path(folder), (10, 10_000), args.samples)
        (small, t_small), (large, t_large) = sorted(costs.items())
        print(f"one alert, {small} events of history: {t_small * 1e3:.2f} ms")
        print(f"one alert, {large} events of history: {t_large * 1e3:.2f} ms")
        print(f"ratio: {t_large / t_small:.2f} (target <= 1.5)")
        with choose_broker() as bootstrap:
            rates = replay_rates(bootstrap, Path(folder), args.alerts, args.enterprises)
    for name, rate in rates.items():
        print(
            f"{name} replay: {rate['records']} records, {rate['replay_per_s']:,}/s vs decode-only "
            f"{rate['decode_only_per_s']:,}/s = {rate['replay_vs_decode_only']}x (target >= 0.5x); "
            f"CPU time {rate['replay_vs_decode_only_cpu']}x; "
            f"raw_confluent (decode-only read with confluent-kafka) {rate['raw_confluent']}"
        )
    figures = [_per_alert_figure((small, t_small), (large, t_large))]
    figures += [_replay_figure(name, rate) for name, rate in rates.items()]
    ms = {str(small): round(t_small * 1e3, 3), str(large): round(t_large * 1e3, 3)}
    details = {"per_alert_ms": ms, "per_alert_ratio": round(t_large / t_small, 3)}
    details |= {"replay": rates, "alerts": args.alerts, "enterprises": args.enterprises}
    print(f"wrote {write('fold', 'events/s', figures, details={**details, 'store': 'sqlite'})}")


def _per_alert_figure(small: tuple[int, float], large: tuple[int, float]) -> Figure:
    """Alerts applied per second at the long history against the short one: the inverse of
    the per-alert cost ratio (target >= 1 / 1.5 = 0.67)."""
    return Figure(
        f"one alert applied, {large[0]:,} events of history",
        1 / large[1],
        f"{small[0]:,} events of history",
        1 / small[1],
    )


def _replay_figure(name: str, rate: dict[str, object]) -> Figure:
    records, per_s, base = (rate[k] for k in ("records", "replay_per_s", "decode_only_per_s"))
    assert isinstance(per_s, int) and isinstance(base, int)
    label = f"{name} replay, {records:,} events (target >= 0.5)"
    return Figure(label, per_s, f"decode-only consume of {rate['topic']}", base)


if __name__ == "__main__":
    main()
