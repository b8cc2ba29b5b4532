"""The registered engine number (suspected illegal modification), and each machine's fuel-use
baseline in its live state (fuel use far from the machine's own baseline).

Revision ID: telemetry_0006
Revises: telemetry_0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "telemetry_0006"
down_revision = "telemetry_0005"
branch_labels = None
depends_on = None

_BASELINE = ("fuel_leg_hours", "fuel_leg_pct", "fuel_rate_baseline")


def upgrade() -> None:
    with op.batch_alter_table("machines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("engine_number", sa.String(length=128), nullable=True))
    with op.batch_alter_table("live_states", schema=None) as batch_op:
        for name in _BASELINE:
            batch_op.add_column(sa.Column(name, sa.Float(), nullable=True))
        batch_op.add_column(
            sa.Column("fuel_rate_legs", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("live_states", schema=None) as batch_op:
        for name in (*_BASELINE, "fuel_rate_legs"):
            batch_op.drop_column(name)
    with op.batch_alter_table("machines", schema=None) as batch_op:
        batch_op.drop_column("engine_number")
