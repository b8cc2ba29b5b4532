"""The registry service's own tables as the release before migrations created them.

Revision ID: registry_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "registry_0001"
down_revision = "runtime_0001"
branch_labels = ("registry",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enterprises",
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("division_code", sa.String(length=6), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id"),
        sa.UniqueConstraint("uscc"),
    )
    op.create_table(
        "machines",
        sa.Column("machine_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("brand", sa.String(length=100), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("serial_number", sa.String(length=100), nullable=False),
        sa.Column("terminal_id", sa.String(length=20), nullable=True),
        sa.PrimaryKeyConstraint("machine_id"),
    )
    op.create_index(op.f("ix_machines_enterprise_id"), "machines", ["enterprise_id"], unique=False)
    op.create_table(
        "terminals",
        sa.Column("terminal_id", sa.String(length=20), nullable=False),
        sa.Column("machine_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("terminal_id"),
        sa.UniqueConstraint("machine_id"),
    )


def downgrade() -> None:
    op.drop_table("terminals")
    op.drop_index(op.f("ix_machines_enterprise_id"), table_name="machines")
    op.drop_table("machines")
    op.drop_table("enterprises")
