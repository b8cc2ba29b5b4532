from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from tianmen_runtime import freshness
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
