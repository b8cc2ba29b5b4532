from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tianmen_reports.adapters.media_store import LocalMediaStore
from tianmen_reports.bootstrap import build
from tianmen_reports.config import Settings
from tianmen_reports.entrypoints.api import build_api
from tianmen_runtime.service import Service

NOW = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)


@pytest.fixture
def service(tmp_path: Path) -> Service:
    return build(Settings(database_url=f"sqlite:///{tmp_path / 'reports.db'}"))


@pytest.fixture
def media(tmp_path: Path) -> LocalMediaStore:
    return LocalMediaStore(tmp_path / "media")


@pytest.fixture
def client(service: Service, media: LocalMediaStore) -> Iterator[TestClient]:
    with TestClient(build_api(service, clock=lambda: NOW, media=media)) as client:
        yield client
