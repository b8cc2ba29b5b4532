"""The integration suite: one real Kafka broker and all six services as real processes.

The broker is chosen by tianmen_devkit.broker.choose_broker(): KAFKA_BOOTSTRAP_SERVERS if set,
testcontainers' Kafka if a Docker engine answers, else a local KRaft broker on free ports.
Each session uses fresh SQLite stores in a temporary folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tianmen_devkit.broker import choose_broker
from tianmen_devkit.supervisor import SERVICES, Suite, free_port


@pytest.fixture(scope="session")
def bootstrap_servers() -> Iterator[str]:
    with choose_broker() as servers:
        yield servers


@pytest.fixture(scope="session")
def suite(bootstrap_servers: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    var_dir: Path = tmp_path_factory.mktemp("var")
    running = Suite(var_dir, bootstrap_servers, {name: free_port() for name in SERVICES})
    running.start()
    try:
        running.wait_ready(timeout=120)
        yield running
    finally:
        running.stop()


@pytest.fixture
def gateway(suite: Suite) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{suite.url('gateway')}/api/v1", timeout=10) as client:
        yield client
