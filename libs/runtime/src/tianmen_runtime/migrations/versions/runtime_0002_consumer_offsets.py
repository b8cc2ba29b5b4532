"""The bounded duplicate guard: applied offsets per partition, and an index on the window.

Revision ID: runtime_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "runtime_0002"
down_revision = "runtime_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consumer_offsets",
        sa.Column("consumer", sa.String(length=64), nullable=False),
        sa.Column("topic", sa.String(length=128), nullable=False),
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "topic", "partition"),
    )
    op.create_index(
        "ix_processed_events_window",
        "processed_events",
        ["consumer", "topic", "partition", "offset"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_processed_events_window", table_name="processed_events")
    op.drop_table("consumer_offsets")
