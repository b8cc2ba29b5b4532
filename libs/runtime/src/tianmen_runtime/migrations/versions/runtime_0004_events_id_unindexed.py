"""The events table's `event_id` loses its unique index: the id is derived from the event's
place (`aggregate_id`, `sequence`), already unique, and nothing looks an event up by it.

Revision ID: runtime_0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "runtime_0004"
down_revision = "runtime_0003"
branch_labels = None
depends_on = None


def _events(*, id_unique: bool) -> sa.Table:
    """The events table as the baseline built it, with or without the id's unique index
    (SQLite names that index itself, so its batch mode rebuilds the table from this)."""
    return sa.Table(
        "events",
        sa.MetaData(),
        sa.Column("position", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False, unique=id_unique),
        sa.Column("aggregate_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=128), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=128), nullable=False),
        sa.Column("time", sa.String(length=40), nullable=False),
        sa.Column("correlation_id", sa.String(length=64), nullable=False),
        sa.Column("causation_id", sa.String(length=64), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("position"),
        sa.UniqueConstraint("aggregate_id", "sequence", name="uq_events_aggregate_sequence"),
    )


def _rebuild_on_sqlite(*, id_unique: bool) -> None:
    """SQLite: the table copied and renamed back; with the legacy rename, which leaves the
    views over `events` (safety's ledger log) as they are instead of failing on them while
    the table is away."""
    op.execute("PRAGMA legacy_alter_table = ON")
    with op.batch_alter_table("events", copy_from=_events(id_unique=id_unique), recreate="always"):
        pass
    op.execute("PRAGMA legacy_alter_table = OFF")


def upgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        _rebuild_on_sqlite(id_unique=False)
    else:
        op.drop_constraint("events_event_id_key", "events", type_="unique")


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        _rebuild_on_sqlite(id_unique=True)
    else:
        op.create_unique_constraint("events_event_id_key", "events", ["event_id"])
