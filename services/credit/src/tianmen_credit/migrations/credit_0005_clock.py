"""Expiries on time: `credit_clock` keeps the event time credit has seen, and each score row
its next expiry (indexed), so an enterprise with no new fact moves when the clock passes it.
Rows stored before this revision have no next expiry until their next fact or a replay
(docs/operations.md) fills it.

Revision ID: credit_0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "credit_0005"
down_revision = "credit_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("credit_scores", sa.Column("next_expiry", sa.String(length=32), nullable=True))
    op.create_index("ix_credit_scores_next_expiry", "credit_scores", ["next_expiry"])
    op.create_table(
        "credit_clock",
        sa.Column("name", sa.String(length=16), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("credit_clock")
    op.drop_index("ix_credit_scores_next_expiry", table_name="credit_scores")
    op.drop_column("credit_scores", "next_expiry")
