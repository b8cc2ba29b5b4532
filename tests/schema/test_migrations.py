"""Alembic migrations against the tables the code expects, per service and per backend.

A failure names the service whose tables (its `adapters/orm.py`, or the runtime's `db.py`)
differ from what its migrations build: add a revision under `tianmen_<service>/migrations`.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, insert, inspect, select, text
from tianmen_credit.bootstrap import build as build_credit
from tianmen_gateway.bootstrap import build as build_gateway
from tianmen_registry.bootstrap import build as build_registry
from tianmen_reports.bootstrap import build as build_reports
from tianmen_runtime import db, schema
from tianmen_runtime.db import make_engine
from tianmen_runtime.service import Service
from tianmen_safety.bootstrap import build as build_safety
from tianmen_telemetry.bootstrap import build as build_telemetry

SERVICES: dict[str, Callable[[], Service]] = {
    "registry": build_registry,
    "telemetry": build_telemetry,
    "safety": build_safety,
    "credit": build_credit,
    "reports": build_reports,
    "gateway": build_gateway,
}


def _expected(service: Service) -> MetaData:
    combined = MetaData()
    for table in (*db.metadata.tables.values(), *service.metadata.tables.values()):
        table.to_metadata(combined)
    return combined


def _drift(engine: Engine, service: Service) -> list[Any]:
    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), _expected(service)))


def _heads(engine: Engine, service: str) -> set[str]:
    with schema.alembic_config(engine, service, MetaData()) as config:
        return set(ScriptDirectory.from_config(config).get_heads())


def _applied(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def _assert_at_newest_revision_matching_the_code(
    engine: Engine, name: str, service: Service
) -> None:
    assert _drift(engine, service) == [], f"{name}: its tables drifted from its migrations"
    assert _applied(engine) == _heads(engine, name)


@pytest.mark.parametrize("name", SERVICES)
def test_migrations_from_empty_build_exactly_the_tables_the_code_uses(
    name: str, empty_store: str
) -> None:
    service = SERVICES[name]()
    engine = make_engine(empty_store, create_tables=False)
    schema.upgrade(engine, name, service.metadata)
    _assert_at_newest_revision_matching_the_code(engine, name, service)


@pytest.mark.parametrize("name", SERVICES)
def test_a_store_of_the_previous_release_is_adopted_with_its_rows(
    name: str, empty_store: str
) -> None:
    # The previous release created its tables itself: the baseline schema, no alembic_version.
    service = SERVICES[name]()
    engine = make_engine(empty_store, create_tables=False)
    with schema.alembic_config(engine, name, service.metadata) as config:
        command.upgrade(config, schema.baseline(name))
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(
            insert(db.processed_events).values(
                consumer="c", event_id="e1", topic="t", partition=0, offset=7
            )
        )
    schema.upgrade(engine, name, service.metadata)
    _assert_at_newest_revision_matching_the_code(engine, name, service)
    with engine.connect() as conn:
        assert conn.execute(select(db.processed_events.c.offset)).scalar_one() == 7


def test_a_service_told_not_to_create_tables_leaves_the_store_empty(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}", db.metadata, create_tables=False)
    assert inspect(engine).get_table_names() == []


def _migrate(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tianmen_credit", "migrate", *args],
        env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_migrate_command_upgrades_the_store_and_check_tells_before_from_after(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'credit.db'}"
    assert _migrate(url, "--check").returncode == 1
    done = _migrate(url)
    assert done.returncode == 0, done.stderr
    assert _migrate(url, "--check").returncode == 0
    engine = make_engine(url, create_tables=False)
    assert _drift(engine, build_credit()) == []
