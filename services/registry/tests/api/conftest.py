"""The registry's HTTP API on a temporary SQLite file; no Kafka needed (commands write the outbox)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tianmen_registry.bootstrap import build
from tianmen_registry.config import Settings
from tianmen_registry.entrypoints.api import build_api
from tianmen_runtime.service import Service

from .support import NOW


@pytest.fixture
def service(tmp_path: Path) -> Service:
    return build(Settings(database_url=f"sqlite:///{tmp_path / 'registry.db'}"))


@dataclass
class Clock:
    """The API's clock: NOW unless a test moves it on (a sweep judges only the past)."""

    now: datetime = NOW


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(service: Service, clock: Clock) -> Iterator[TestClient]:
    with TestClient(build_api(service, clock=lambda: clock.now)) as client:
        yield client
