"""One open alert per machine and rule until it clears: the open alerts, and when each alert
cleared. Alerts raised before this revision are not held open (no `AlertCleared` will come
for them); the next report that fires their rule opens a new episode.

Revision ID: telemetry_0003
Revises: telemetry_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from tianmen_telemetry.adapters.orm import UtcDateTime

revision = "telemetry_0003"
down_revision = "telemetry_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "open_alerts",
        sa.Column("machine_id", sa.String(length=64), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("alert_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("jurisdiction", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("machine_id", "rule"),
        sa.UniqueConstraint("alert_id"),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cleared_at", UtcDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_column("cleared_at")
    op.drop_table("open_alerts")
