"""Per-event cost that does not grow with history: safety and credit apply each event to their
state rows instead of folding the enterprise's whole history.

1. The median cost of applying one night-work alert to an enterprise with ~10 and ~10,000
   events of history (no broker; target: ratio <= 1.5).
2. Replay: `tianmen_safety replay` over >= 30,000 alerts and `tianmen_credit replay` over the
   safety events they caused, against a decode-only consume of the same topics in the same run
   (target: >= 0.5x). Both timed from the first poll to the end of the topics, on SQLite.

    make bench-fold        # or: python benchmarks/bench_fold.py --alerts 31500 --enterprises 200

Writes var/bench/fold.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from baseline import decode_only
from fold_cost import night_alert, per_alert_seconds
from tianmen_credit.bootstrap import build as build_credit
from tianmen_devkit.broker import choose_broker
from tianmen_events import encode
from tianmen_events.topics import SAFETY_ENTERPRISE, TELEMETRY_ALERT
from tianmen_runtime.db import make_engine
from tianmen_runtime.kafka_io import ensure_topics, make_producer
from tianmen_runtime.outbox_relay import OutboxRelay
from tianmen_runtime.replay import replay
from tianmen_runtime.service import Service
from tianmen_safety.bootstrap import build as build_safety

OUT = Path("var/bench/fold.json")


def publish_alerts(bootstrap: str, alerts: int, enterprises: int) -> None:
    producer = make_producer(bootstrap, "bench-fold")
    for n in range(alerts):
        alert, meta = night_alert(f"ent-{n % enterprises}", n // enterprises)
        message = encode(alert, meta)
        producer.send(message.topic, key=message.key, value=message.value, headers=message.headers)
    producer.flush()
    producer.close()


def replayed(service: Service, bootstrap: str, url: str) -> tuple[dict[str, int], float]:
    assert service.subscription is not None
    engine = make_engine(url, service.metadata)
    started = time.perf_counter()
    outcomes = replay(engine, service.subscription, bootstrap).outcomes
    return outcomes, time.perf_counter() - started


def publish_outbox(service: Service, bootstrap: str, url: str) -> None:
    """Publish what the replayed safety store derived, as its relay would, for credit."""
    relay = OutboxRelay(make_engine(url, service.metadata), make_producer(bootstrap, "bench-relay"))
    while relay.publish_pending():
        pass


def replay_rates(bootstrap: str, folder: Path, alerts: int, enterprises: int) -> dict[str, object]:
    ensure_topics(bootstrap, [TELEMETRY_ALERT, SAFETY_ENTERPRISE])
    publish_alerts(bootstrap, alerts, enterprises)
    safety, credit = build_safety(), build_credit()
    result: dict[str, object] = {}
    for name, service, topic in (
        ("safety", safety, TELEMETRY_ALERT.name),
        ("credit", credit, SAFETY_ENTERPRISE.name),
    ):
        records, base = decode_only(bootstrap, [topic])
        url = f"sqlite:///{folder / name}.db"
        outcomes, elapsed = replayed(service, bootstrap, url)
        result[name] = {
            "topic": topic,
            "records": records,
            "decode_only_per_s": round(records / base),
            "replay_per_s": round(records / elapsed),
            "replay_vs_decode_only": round(base / elapsed, 3),
            "replay_seconds": round(elapsed, 2),
            "outcomes": outcomes,
        }
        if name == "safety":
            publish_outbox(service, bootstrap, url)
    return result


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
        assert isinstance(rate, dict)
        print(
            f"{name} replay: {rate['records']} records, {rate['replay_per_s']:,}/s vs decode-only "
            f"{rate['decode_only_per_s']:,}/s = {rate['replay_vs_decode_only']}x (target >= 0.5x)"
        )
    report = {
        "per_alert_ms": {str(small): round(t_small * 1e3, 3), str(large): round(t_large * 1e3, 3)},
        "per_alert_ratio": round(t_large / t_small, 3),
        "replay": rates,
        "alerts": args.alerts,
        "enterprises": args.enterprises,
        "store": "sqlite",
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
