"""A terminal taken off a machine ends the machine's open alerts (decision 99): the ends kept as
said, the report partition of each machine that held an alert open, and each bind's record
stamp (what its end waits for). Nothing kept before is changed: both tables are new, a bind
kept before has no stamp (as if recorded before everything, decision 78), and an end before
this revision was never kept (its machine's alerts stay as they were until a replay derives
them again).

Revision ID: telemetry_0011
Revises: telemetry_0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "telemetry_0011"
down_revision = "telemetry_0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("terminal_binds") as batch:
        batch.add_column(sa.Column("recorded_ms", sa.BigInteger(), nullable=True))
    op.create_table(
        "binding_ends",
        sa.Column("terminal_id", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("machine_id", sa.String(length=64), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=False),
        sa.Column("to_machine_id", sa.String(length=64), nullable=True),
        sa.Column("recorded_ms", sa.BigInteger(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("terminal_id", "event_id"),
    )
    op.create_index("ix_binding_ends_machine_id", "binding_ends", ["machine_id"])
    op.create_table(
        "report_partitions",
        sa.Column("machine_id", sa.String(length=64), nullable=False),
        sa.Column("report_partition", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("machine_id"),
    )


def downgrade() -> None:
    op.drop_table("report_partitions")
    op.drop_index("ix_binding_ends_machine_id", table_name="binding_ends")
    op.drop_table("binding_ends")
    with op.batch_alter_table("terminal_binds") as batch:
        batch.drop_column("recorded_ms")
