"""Fixtures every test folder may use: a real PostgreSQL server, started once per session."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator

import pytest
from tianmen_devkit.postgres import LocalPostgres, temporary_postgres

_names = itertools.count(1)

# Test brokers compile with C1 only (decision 121): each lives for seconds to minutes, and C2's
# compiles cost ~1.5-2 s of CPU at every start on this two-core machine for code it barely runs.
# `make run`, the benchmarks and the soak keep the JVM's defaults. Set before any fixture starts one.
os.environ.setdefault("TIANMEN_KAFKA_JVM_OPTS", "-XX:TieredStopAtLevel=1")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[LocalPostgres]:
    with temporary_postgres() as server:
        yield server


@pytest.fixture(scope="session")
def new_postgres_database(postgres_server: LocalPostgres) -> Callable[[str], str]:
    """Create a fresh database and return its SQLAlchemy URL."""

    def create(prefix: str) -> str:
        return postgres_server.create_database(f"{prefix}_{next(_names)}")

    return create
