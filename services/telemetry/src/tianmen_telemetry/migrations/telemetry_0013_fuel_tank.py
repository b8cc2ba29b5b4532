"""Each machine's fuel tank capacity as registered (litres): the JT/T 808 server turns a
terminal's litres into the fuel level's percent with it. The machines kept before have none
until a replay of `registry.machine` fills it (their JT/T 808 reports carry no level meanwhile).

Revision ID: telemetry_0013
Revises: telemetry_0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "telemetry_0013"
down_revision = "telemetry_0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("machines") as batch_op:
        batch_op.add_column(sa.Column("fuel_tank_litres", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("machines") as batch_op:
        batch_op.drop_column("fuel_tank_litres")
