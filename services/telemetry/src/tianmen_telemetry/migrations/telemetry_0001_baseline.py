"""The telemetry service's own tables as the release before migrations created them.

Revision ID: telemetry_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "telemetry_0001"
down_revision = "runtime_0001"
branch_labels = ("telemetry",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("alert_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("machine_id", sa.String(length=64), nullable=False),
        sa.Column("terminal_id", sa.String(length=64), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("rule_version", sa.String(length=64), nullable=False),
        sa.Column("observed_at", sa.DateTime(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("alert_id"),
    )
    op.create_index(op.f("ix_alerts_enterprise_id"), "alerts", ["enterprise_id"], unique=False)
    op.create_index(op.f("ix_alerts_machine_id"), "alerts", ["machine_id"], unique=False)
    op.create_index(op.f("ix_alerts_observed_at"), "alerts", ["observed_at"], unique=False)
    op.create_table(
        "live_states",
        sa.Column("machine_id", sa.String(length=64), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("terminal_id", sa.String(length=64), nullable=False),
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("last_report_at", sa.DateTime(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("engine_hours", sa.Float(), nullable=True),
        sa.Column("fuel_level_pct", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("machine_id"),
    )
    op.create_table(
        "machines",
        sa.Column("machine_id", sa.String(length=64), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("terminal_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("machine_id"),
        sa.UniqueConstraint("terminal_id"),
    )


def downgrade() -> None:
    op.drop_table("machines")
    op.drop_table("live_states")
    op.drop_index(op.f("ix_alerts_observed_at"), table_name="alerts")
    op.drop_index(op.f("ix_alerts_machine_id"), table_name="alerts")
    op.drop_index(op.f("ix_alerts_enterprise_id"), table_name="alerts")
    op.drop_table("alerts")
