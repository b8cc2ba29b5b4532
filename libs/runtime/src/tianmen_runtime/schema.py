"""Schema changes as Alembic migrations: the runtime's tables in its revisions (shared by every
service), each service's own tables in a branch named after it (``tianmen_<name>/migrations``)
whose baseline follows the runtime's. A later runtime revision forks beside the service branch.

`upgrade` brings a store to every head. A store that an earlier release created by itself
(tables there, no ``alembic_version``) is first stamped at the baseline revisions, which hold
exactly that schema, so upgrading adopts it instead of failing on tables that exist.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, inspect

from tianmen_runtime import db

RUNTIME_MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001"


def versions_of(service: str) -> Path:
    return Path(str(files(f"tianmen_{service}"))) / "migrations"


def baseline(service: str) -> str:
    """The revision holding the schema the service created itself before migrations existed."""
    return f"{service}_{BASELINE}"


def has_migrations(service: str) -> bool:
    return versions_of(service).is_dir()


@contextmanager
def alembic_config(engine: Engine, service: str, metadata: MetaData) -> Iterator[Config]:
    config = Config()
    config.set_main_option("script_location", str(RUNTIME_MIGRATIONS))
    config.set_main_option("path_separator", "os")
    locations = (RUNTIME_MIGRATIONS / "versions", versions_of(service))
    config.set_main_option("version_locations", os.pathsep.join(map(str, locations)))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        config.attributes["target_metadata"] = [db.metadata, metadata]
        yield config


def upgrade(engine: Engine, service: str, metadata: MetaData) -> None:
    """Bring the store to the newest schema (creating it from nothing, or adopting an old one)."""
    tables = set(inspect(engine).get_table_names())
    with alembic_config(engine, service, metadata) as config:
        if "events" in tables and "alembic_version" not in tables:
            command.stamp(config, baseline(service))
        command.upgrade(config, "heads")


def is_current(engine: Engine, service: str, metadata: MetaData) -> bool:
    """True once the store is at every head: what a new pod waits for before it starts."""
    with alembic_config(engine, service, metadata) as config:
        heads = set(ScriptDirectory.from_config(config).get_heads())
        applied = MigrationContext.configure(config.attributes["connection"]).get_current_heads()
    return set(applied) == heads
