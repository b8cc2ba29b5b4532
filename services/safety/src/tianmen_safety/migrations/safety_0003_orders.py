"""Hazards and their orders (rectification with a deadline, stop-use until re-inspection).
A store of the previous release replays `safety.case` to fill them (`docs/operations.md`).

Revision ID: safety_0003
Revises: safety_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "safety_0003"
down_revision = "safety_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "safety_orders",
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("hazard_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("machine_id", sa.String(length=64), nullable=False),
        sa.Column("jurisdiction", sa.String(length=64), nullable=True),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("major", sa.Boolean(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("found_at", sa.String(length=40), nullable=False),
        sa.Column("due_at", sa.String(length=40), nullable=True),
        sa.Column("closed_at", sa.String(length=40), nullable=True),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("campaign_id", sa.String(length=64), nullable=True),
        sa.Column("inspection_id", sa.String(length=64), nullable=True),
        sa.Column("ordered_by", sa.String(length=64), nullable=False),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("order_id"),
    )
    op.create_index("ix_safety_orders_state_due", "safety_orders", ["state", "due_at"])
    op.create_index("ix_safety_orders_enterprise", "safety_orders", ["enterprise_id", "found_at"])
    op.create_index("ix_safety_orders_campaign", "safety_orders", ["campaign_id"])


def downgrade() -> None:
    op.drop_table("safety_orders")
