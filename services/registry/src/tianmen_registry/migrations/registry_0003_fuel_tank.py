"""A machine's fuel tank capacity (litres), optional: the machines registered before have none.

Revision ID: registry_0003
Revises: registry_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "registry_0003"
down_revision = "registry_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("machines") as batch_op:
        batch_op.add_column(sa.Column("fuel_tank_litres", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("machines") as batch_op:
        batch_op.drop_column("fuel_tank_litres")
