"""Decision 116: each machine's latest odometer (km, JT/T 808 location item 0x01) and the time
of the report that gave it, on its live state (the AEMP snapshot's `Distance`); and each
machine's fuel tanks over time (`machine_tanks`), so that a report's litres are levelled with
the capacity in force at its time once the registry amends one.

Live states kept before have no odometer until their terminal next gives one (no zero is made
up). The tank each machine was registered with (`machines.fuel_tank_litres`: no amendment
existed before this revision) becomes its "registration" row, in force since ever.

Revision ID: telemetry_0015
Revises: telemetry_0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from tianmen_telemetry.adapters.orm import UtcDateTime

revision = "telemetry_0015"
down_revision = "telemetry_0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("live_states") as batch_op:
        batch_op.add_column(sa.Column("odometer_km", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("odometer_at", UtcDateTime(), nullable=True))
    op.create_table(
        "machine_tanks",
        sa.Column("machine_id", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("valid_from", UtcDateTime(), nullable=True),
        sa.Column("litres", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("machine_id", "event_id"),
    )
    op.execute(
        "INSERT INTO machine_tanks (machine_id, event_id, valid_from, litres)"
        " SELECT machine_id, 'registration', NULL, fuel_tank_litres FROM machines"
        " WHERE fuel_tank_litres IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_table("machine_tanks")
    with op.batch_alter_table("live_states") as batch_op:
        batch_op.drop_column("odometer_at")
        batch_op.drop_column("odometer_km")
