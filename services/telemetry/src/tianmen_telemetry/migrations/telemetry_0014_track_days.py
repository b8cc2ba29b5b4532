"""On PostgreSQL, `track_points` partitioned by the report's local day (Asia/Shanghai), one
partition a day in the schema `track_days`, so that retention drops a day instead of deleting
23 million rows one by one (issue 8, decision 112). The rows kept are copied into their days'
partitions; today's and the next week's partitions are made too. SQLite is left as it is.

Revision ID: telemetry_0014
Revises: telemetry_0013
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op
from tianmen_telemetry.adapters.orm import UtcDateTime

revision = "telemetry_0014"
down_revision = "telemetry_0013"
branch_labels = None
depends_on = None

CHINA = ZoneInfo("Asia/Shanghai")
AHEAD_DAYS = 7
OLD = "track_points_unpartitioned"


def _columns() -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("machine_id", sa.String(length=64), nullable=False),
        sa.Column("reported_at", UtcDateTime(), nullable=False),
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("engine_hours", sa.Float(), nullable=True),
        sa.Column("fuel_level_pct", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("machine_id", "reported_at"),
    ]


def _make_day(day: date) -> None:
    start = datetime.combine(day, time(), CHINA).astimezone(UTC).replace(tzinfo=None)
    end = start + timedelta(days=1)
    op.execute(
        f"CREATE TABLE track_days.track_points_{day:%Y%m%d} PARTITION OF track_points "
        f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE track_points RENAME TO {OLD}")
    op.execute(f"ALTER TABLE {OLD} RENAME CONSTRAINT track_points_pkey TO {OLD}_pkey")
    op.create_table("track_points", *_columns(), postgresql_partition_by="RANGE (reported_at)")
    op.execute("CREATE SCHEMA IF NOT EXISTS track_days")
    # reported_at is kept in UTC without an offset: its local day is read in Asia/Shanghai
    local = "((reported_at AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Shanghai')::date"
    found = sa.text(f"SELECT DISTINCT {local} FROM {OLD}")  # noqa: S608 (this module's names)
    days = set(op.get_bind().scalars(found))
    today = datetime.now(CHINA).date()  # storage made ahead, not derived state
    days |= {today + timedelta(days=n) for n in range(AHEAD_DAYS + 1)}
    for day in sorted(days):
        _make_day(day)
    op.execute(f"INSERT INTO track_points SELECT * FROM {OLD}")  # noqa: S608 (this module's)
    op.drop_table(OLD)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE track_points RENAME TO {OLD}")
    op.execute(f"ALTER TABLE {OLD} RENAME CONSTRAINT track_points_pkey TO {OLD}_pkey")
    op.create_table("track_points", *_columns())
    op.execute(f"INSERT INTO track_points SELECT * FROM {OLD}")  # noqa: S608 (this module's)
    op.drop_table(OLD)  # and its partitions
    op.execute("DROP SCHEMA IF EXISTS track_days")
