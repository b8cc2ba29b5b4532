"""Workers write each partition's measured lag, so an API process apart from them reports it.

Revision ID: runtime_0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "runtime_0003"
down_revision = "runtime_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consumer_lag",
        sa.Column("consumer", sa.String(length=64), nullable=False),
        sa.Column("topic", sa.String(length=128), nullable=False),
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("lag", sa.BigInteger(), nullable=False),
        sa.Column("measured_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "topic", "partition"),
    )


def downgrade() -> None:
    op.drop_table("consumer_lag")
