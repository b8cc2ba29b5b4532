"""Machines' tracks (every position, once per machine and instant) and the identity the fleet
snapshot names each machine by (brand, model, serial number from `MachineRegistered`).

Revision ID: telemetry_0005
Revises: telemetry_0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from tianmen_telemetry.adapters.orm import UtcDateTime

revision = "telemetry_0005"
down_revision = "telemetry_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "track_points",
        sa.Column("machine_id", sa.String(length=64), nullable=False),
        sa.Column("reported_at", UtcDateTime(), nullable=False),
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("engine_hours", sa.Float(), nullable=True),
        sa.Column("fuel_level_pct", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("machine_id", "reported_at"),
    )
    with op.batch_alter_table("machines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("brand", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("model", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("serial_number", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("machines", schema=None) as batch_op:
        batch_op.drop_column("serial_number")
        batch_op.drop_column("model")
        batch_op.drop_column("brand")
    op.drop_table("track_points")
