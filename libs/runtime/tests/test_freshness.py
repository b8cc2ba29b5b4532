from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from tianmen_runtime import freshness, lag_store
from tianmen_runtime.db import make_engine
from tianmen_runtime.http import create_app


@pytest.fixture(autouse=True)
def _no_consumers() -> Iterator[None]:
    freshness.reset()
    yield
    freshness.reset()


def _client() -> TestClient:
    app = create_app("t", ready=lambda: True)

    @app.get("/things")
    def things() -> list[str]:
        return []

    return TestClient(app)


def test_a_process_without_consumers_says_nothing_about_lag() -> None:
    assert "x-consumer-lag" not in _client().get("/things").headers


def test_reads_say_unknown_until_every_consumer_measured_its_lag() -> None:
    freshness.expect("safety-projector")
    freshness.expect("other")
    freshness.record("safety-projector", 3)
    assert _client().get("/things").headers["x-consumer-lag"] == "unknown"


def test_reads_carry_the_total_lag_and_the_oldest_measurement() -> None:
    freshness.record("a", 120, datetime(2026, 5, 12, 8, 0, 5, tzinfo=UTC))
    freshness.record("b", 7, datetime(2026, 5, 12, 8, 0, 1, tzinfo=UTC))
    headers = _client().get("/things").headers
    assert headers["x-consumer-lag"] == "127"
    assert headers["x-lag-measured-at"] == "2026-05-12T08:00:01+00:00"


def _store(tmp_path: Path) -> Engine:
    return make_engine(f"sqlite:///{tmp_path / 'service.db'}")


def test_an_api_apart_from_its_workers_reads_their_lag_from_the_store(tmp_path: Path) -> None:
    engine = _store(tmp_path)
    first = datetime(2026, 5, 12, 8, 0, 5, tzinfo=UTC)
    lag_store.write(
        engine, "safety", {("telemetry.alert", 0): 40, ("telemetry.alert", 1): 2}, first
    )
    later = datetime(2026, 5, 12, 8, 0, 9, tzinfo=UTC)
    lag_store.write(engine, "safety", {("registry.enterprise", 0): 5}, later)  # another worker
    lag_store.write(engine, "credit", {("safety.ledger", 0): 999}, later)  # another consumer
    freshness.read_from(engine, "safety")
    headers = _client().get("/things").headers
    assert headers["x-consumer-lag"] == "47"
    assert headers["x-lag-measured-at"] == "2026-05-12T08:00:05+00:00"


def test_a_partition_measured_again_replaces_its_earlier_figure(tmp_path: Path) -> None:
    engine = _store(tmp_path)
    at = datetime(2026, 5, 12, 8, 0, 5, tzinfo=UTC)
    lag_store.write(engine, "safety", {("telemetry.alert", 0): 40}, at)
    lag_store.write(engine, "safety", {("telemetry.alert", 0): 3}, at.replace(second=7))
    assert lag_store.read(engine, "safety") == (3, at.replace(second=7))


def test_an_api_whose_workers_never_measured_says_unknown(tmp_path: Path) -> None:
    freshness.read_from(_store(tmp_path), "safety")
    assert _client().get("/things").headers["x-consumer-lag"] == "unknown"
