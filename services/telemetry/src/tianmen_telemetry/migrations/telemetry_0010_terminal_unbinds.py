"""An explicit unbind (`TerminalUnbound`, reason `unbound`) is kept like a bind, as said: a row
of `terminal_binds` with no holder (its `enterprise_id` NULL, its `machine_id` the machine the
terminal left), so the terminal's period ends at the unbind's event time. Every row kept before
is a bind and is unchanged.

Revision ID: telemetry_0010
Revises: telemetry_0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "telemetry_0010"
down_revision = "telemetry_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("terminal_binds") as batch:
        batch.alter_column("enterprise_id", existing_type=sa.String(length=64), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM terminal_binds WHERE enterprise_id IS NULL")
    with op.batch_alter_table("terminal_binds") as batch:
        batch.alter_column("enterprise_id", existing_type=sa.String(length=64), nullable=False)
