"""Each machine's usage per local day, kept by the worker as it applies reports (decision 106).
Nothing kept before is changed: the table is new and starts empty; the days before this
revision are filled by a replay (until then a machine's idle hours and fuel used count from the
first report after it).

Revision ID: telemetry_0012
Revises: telemetry_0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "telemetry_0012"
down_revision = "telemetry_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "machine_day_usage",
        sa.Column("machine_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("operating_us", sa.BigInteger(), nullable=False),
        sa.Column("idle_us", sa.BigInteger(), nullable=False),
        sa.Column("fuel_used_mpct", sa.BigInteger(), nullable=False),
        sa.Column("windows", sa.Integer(), nullable=False),
        sa.Column("longest_window_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("machine_id", "day"),
    )


def downgrade() -> None:
    op.drop_table("machine_day_usage")
