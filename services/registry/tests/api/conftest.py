"""The registry's HTTP API on a temporary SQLite file; no Kafka needed (commands write the outbox)."""

from __future__ import annotations

from collections.abc import Iterator
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


@pytest.fixture
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(build_api(service, clock=lambda: NOW)) as client:
        yield client
