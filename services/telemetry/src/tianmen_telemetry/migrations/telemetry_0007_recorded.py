"""When the log recorded each piece of the registry's word (its Kafka record's timestamp, ms):
a report is judged only against what was recorded before it (decision 78).

Revision ID: telemetry_0007
Revises: telemetry_0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "telemetry_0007"
down_revision = "telemetry_0006"
branch_labels = None
depends_on = None

_TABLES = ("machine_standings", "work_sites", "night_permits", "restricted_zones")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("recorded_ms", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("recorded_ms")
