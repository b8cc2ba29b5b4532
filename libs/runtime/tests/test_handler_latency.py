"""A live consumer observes each applied event's handler latency; a replay (which serves no
/metrics) observes none and applies the same."""

from __future__ import annotations

from pathlib import Path

from prometheus_client import REGISTRY
from tianmen_runtime.db import make_engine
from tianmen_runtime.projection import apply_batch
from tianmen_runtime.replay import _drain

from .deductions import projection_md
from .test_replay import TP, FakeConsumer, _records, _rows, _subscription


def _observed(consumer: str) -> float:
    found = REGISTRY.get_sample_value(
        "tianmen_handler_latency_seconds_count", {"consumer": consumer}
    )
    return found or 0.0


def test_live_observes_every_applied_event_and_a_replay_none(tmp_path: Path) -> None:
    subscription = _subscription(TP.topic)
    live = make_engine(f"sqlite:///{tmp_path / 'live.db'}", projection_md)
    before = _observed(subscription.name)
    assert apply_batch(live, subscription, _records(0, 1, 2)) == ["applied"] * 3
    assert _observed(subscription.name) == before + 3
    replayed = make_engine(f"sqlite:///{tmp_path / 'replayed.db'}", projection_md)
    result = _drain(FakeConsumer([_records(0, 1, 2)]), replayed, subscription, {TP: 3}, None)
    assert result.outcomes == {"applied": 3}
    assert _observed(subscription.name) == before + 3
    assert _rows(replayed) == _rows(live)
