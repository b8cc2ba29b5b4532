"""Credit decides on its state rows: the violations it has already counted.

Revision ID: credit_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "credit_0002"
down_revision = "credit_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "credit_counted",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("change_event_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )


def downgrade() -> None:
    op.drop_table("credit_counted")
