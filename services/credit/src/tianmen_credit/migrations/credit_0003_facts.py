"""Credit keeps the facts its model as data counts (credit/2026.2), for the live standing.

Revision ID: credit_0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "credit_0003"
down_revision = "credit_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "credit_facts",
        sa.Column("event_id", sa.String(length=80), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index(
        "ix_credit_facts_enterprise_at", "credit_facts", ["enterprise_id", "at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_credit_facts_enterprise_at", table_name="credit_facts")
    op.drop_table("credit_facts")
