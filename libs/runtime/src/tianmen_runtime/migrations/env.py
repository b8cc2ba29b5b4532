"""Alembic's environment for every service: the connection and metadata come from
`tianmen_runtime.schema`, which builds the configuration (no alembic.ini)."""

from __future__ import annotations

from alembic import context

config = context.config
context.configure(
    connection=config.attributes["connection"],
    target_metadata=config.attributes["target_metadata"],
    render_as_batch=config.attributes["connection"].dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
