"""Every store test runs on each backend a service may be configured with."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

StoreUrl = Callable[[str], str]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> StoreUrl:
    """Make fresh, empty stores of one backend: `store_url("a")` != `store_url("b")`."""
    if request.param == "sqlite":
        return lambda name: f"sqlite:///{tmp_path / name}.db"
    create: Callable[[str], str] = request.getfixturevalue("new_postgres_database")
    return create
