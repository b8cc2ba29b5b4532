"""The reports service's own tables as the release before migrations created them.

Revision ID: reports_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "reports_0001"
down_revision = "runtime_0001"
branch_labels = ("reports",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reporter_contacts",
        sa.Column("tip_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=True),
        sa.Column("phone", sa.String(length=11), nullable=True),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("tip_id"),
    )


def downgrade() -> None:
    op.drop_table("reporter_contacts")
