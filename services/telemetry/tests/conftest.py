"""Telemetry test fixtures: a service on a temporary SQLite file (no Kafka needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tianmen_runtime.service import Service
from tianmen_telemetry import bootstrap
from tianmen_telemetry.config import Settings


@pytest.fixture
def service(tmp_path: Path) -> Service:
    return bootstrap.build(
        Settings(database_url=f"sqlite:///{tmp_path / 'telemetry.db'}", binding_wait=0.3)
    )
