"""The registry's word, for the rules that need it: machines' jurisdiction, high risk and
standing over time, work sites, night-work permits and restricted zones. A store that existed
before knows none of them until the registry's topics are replayed into it.

Revision ID: telemetry_0004
Revises: telemetry_0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from tianmen_telemetry.adapters.orm import UtcDateTime

revision = "telemetry_0004"
down_revision = "telemetry_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "machine_standings",
        sa.Column("machine_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("valid_from", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("machine_id", "seq"),
    )
    op.create_table(
        "work_sites",
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("boundary", sa.JSON(), nullable=False),
        sa.Column("registered_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("site_id"),
    )
    with op.batch_alter_table("work_sites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_sites_enterprise_id"), ["enterprise_id"])
    op.create_table(
        "night_permits",
        sa.Column("permit_id", sa.String(length=64), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("starts", sa.String(length=5), nullable=False),
        sa.Column("ends", sa.String(length=5), nullable=False),
        sa.Column("valid_from", UtcDateTime(), nullable=False),
        sa.Column("valid_until", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("permit_id"),
    )
    with op.batch_alter_table("night_permits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_night_permits_enterprise_id"), ["enterprise_id"])
    op.create_table(
        "restricted_zones",
        sa.Column("zone_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("boundary", sa.JSON(), nullable=False),
        sa.Column("declared_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("zone_id"),
    )
    with op.batch_alter_table("machines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("jurisdiction", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("high_risk", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("machines", schema=None) as batch_op:
        batch_op.drop_column("high_risk")
        batch_op.drop_column("jurisdiction")
    op.drop_table("restricted_zones")
    with op.batch_alter_table("night_permits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_night_permits_enterprise_id"))
    op.drop_table("night_permits")
    with op.batch_alter_table("work_sites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_sites_enterprise_id"))
    op.drop_table("work_sites")
    op.drop_table("machine_standings")
