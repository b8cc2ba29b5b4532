"""The credit service's own tables as the release before migrations created them.

Revision ID: credit_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "credit_0001"
down_revision = "runtime_0001"
branch_labels = ("credit",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "credit_history",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("time", sa.String(length=40), nullable=False),
        sa.Column("score_before", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("grade_before", sa.String(length=8), nullable=False),
        sa.Column("grade", sa.String(length=8), nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index(
        "ix_credit_history_enterprise_sequence",
        "credit_history",
        ["enterprise_id", "sequence"],
        unique=False,
    )
    op.create_table(
        "credit_scores",
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=8), nullable=False),
        sa.Column("procurement_restricted", sa.Boolean(), nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id"),
    )


def downgrade() -> None:
    op.drop_table("credit_scores")
    op.drop_index("ix_credit_history_enterprise_sequence", table_name="credit_history")
    op.drop_table("credit_history")
