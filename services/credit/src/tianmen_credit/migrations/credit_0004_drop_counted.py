"""The live score is the ledger's standing (credit/2026.2): a fact is counted once because its
row in `credit_facts` is keyed by its event id, so `credit_counted` has no reader left.
Scores derived under credit/2026.1 are rebuilt by a replay (docs/operations.md). A score row
counts its enterprise's facts, so a ledger kept in memory is used only while it is current.

Revision ID: credit_0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "credit_0004"
down_revision = "credit_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("credit_counted")
    op.add_column(
        "credit_scores",
        sa.Column("fact_count", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_column("credit_scores", "fact_count")
    op.create_table(
        "credit_counted",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("change_event_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
