"""Machines' owners over time: one row per `MachineTransferred`, dated by its event time, so a
report is charged to the owner at its time (decision 91). Nothing kept before is changed: no
transfer was kept, and a machine never transferred is charged as its terminal was bound.

Revision ID: telemetry_0009
Revises: telemetry_0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "telemetry_0009"
down_revision = "telemetry_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "machine_transfers",
        sa.Column("machine_id", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("transferred_at", sa.DateTime(), nullable=False),
        sa.Column("from_enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("recorded_ms", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("machine_id", "event_id"),
    )


def downgrade() -> None:
    op.drop_table("machine_transfers")
