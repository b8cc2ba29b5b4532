"""The safety service's own tables as the release before migrations created them.

Revision ID: safety_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "safety_0001"
down_revision = "runtime_0001"
branch_labels = ("safety",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "safety_deductions",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("cycle_year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("violation_id", sa.String(length=36), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("balance_after", sa.Integer(), nullable=False),
        sa.Column("time", sa.String(length=40), nullable=False),
        sa.Column("rule_version", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index(
        "ix_safety_deductions_enterprise_year",
        "safety_deductions",
        ["enterprise_id", "cycle_year"],
        unique=False,
    )
    op.create_table(
        "safety_ledgers",
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("cycle_year", sa.Integer(), nullable=False),
        sa.Column("initial_points", sa.Integer(), nullable=False),
        sa.Column("balance", sa.Integer(), nullable=False),
        sa.Column("bidding_suspended", sa.Boolean(), nullable=False),
        sa.Column("key_supervision", sa.Boolean(), nullable=False),
        sa.Column("rule_version", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", "cycle_year"),
    )
    op.create_table(
        "safety_violations",
        sa.Column("violation_id", sa.String(length=36), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("cycle_year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("machine_id", sa.String(length=64), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("occurred_at", sa.String(length=40), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("source_event_id", sa.String(length=64), nullable=False),
        sa.Column("source_event_type", sa.String(length=128), nullable=False),
        sa.Column("rule_version", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("violation_id"),
    )
    op.create_index(
        "ix_safety_violations_enterprise_year",
        "safety_violations",
        ["enterprise_id", "cycle_year"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_safety_violations_enterprise_year", table_name="safety_violations")
    op.drop_table("safety_violations")
    op.drop_table("safety_ledgers")
    op.drop_index("ix_safety_deductions_enterprise_year", table_name="safety_deductions")
    op.drop_table("safety_deductions")
