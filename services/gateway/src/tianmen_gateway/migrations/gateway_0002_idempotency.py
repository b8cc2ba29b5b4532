"""Idempotency-Keys the gateway remembers (24 h), scoped to the client that sent them.

Revision ID: gateway_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "gateway_0002"
down_revision = "gateway_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gateway_idempotency",
        sa.Column("client", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "status", sa.Integer(), nullable=True, comment="NULL while the first request runs"
        ),
        sa.Column("media_type", sa.String(length=100), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("client", "key"),
    )
    op.create_index(
        "ix_gateway_idempotency_claimed_at", "gateway_idempotency", ["claimed_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_gateway_idempotency_claimed_at", table_name="gateway_idempotency")
    op.drop_table("gateway_idempotency")
