"""Inspections (self, joint spot checks, third-party tests), the machines each checked, the
enterprises whose self-inspections are due and the deadlines they missed, campaigns and
accidents. A store of the previous release replays `safety.case` to fill them.

Revision ID: safety_0004
Revises: safety_0003
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "safety_0004"
down_revision = "safety_0003"
branch_labels = None
depends_on = None

S = sa.String
TABLES = (
    "safety_inspections",
    "safety_inspected_machines",
    "safety_watched_enterprises",
    "safety_self_inspection_misses",
    "safety_campaigns",
    "safety_accidents",
)


def col(name: str, kind: Any, *, null: bool = True) -> sa.Column[Any]:
    return sa.Column(name, kind, nullable=null)


def upgrade() -> None:
    op.create_table(
        "safety_inspections",
        col("inspection_id", S(36), null=False),
        col("kind", S(16), null=False),
        col("enterprise_id", S(64), null=False),
        col("inspected_at", S(40), null=False),
        col("jurisdiction", S(64)),
        col("campaign_id", S(64)),
        col("departments", S(200)),
        col("findings", S(4000), null=False),
        col("machine_id", S(64)),
        col("agency", S(200)),
        col("passed", sa.Boolean()),
        col("certificate_number", S(100)),
        col("valid_until", S(40)),
        col("state", S(16)),
        col("recorded_by", S(64), null=False),
        sa.PrimaryKeyConstraint("inspection_id"),
    )
    op.create_index(
        "ix_safety_inspections_enterprise", "safety_inspections", ["enterprise_id", "inspected_at"]
    )
    op.create_index("ix_safety_inspections_campaign", "safety_inspections", ["campaign_id"])
    op.create_index("ix_safety_inspections_valid", "safety_inspections", ["state", "valid_until"])
    op.create_table(
        "safety_inspected_machines",
        col("inspection_id", S(36), null=False),
        col("machine_id", S(64), null=False),
        col("campaign_id", S(64)),
        col("passed", sa.Boolean()),
        sa.PrimaryKeyConstraint("inspection_id", "machine_id"),
    )
    op.create_index(
        "ix_safety_inspected_machines_campaign", "safety_inspected_machines", ["campaign_id"]
    )
    op.create_table(
        "safety_watched_enterprises",
        col("enterprise_id", S(64), null=False),
        col("first_seen", S(40), null=False),
        sa.PrimaryKeyConstraint("enterprise_id"),
    )
    op.create_table(
        "safety_self_inspection_misses",
        col("enterprise_id", S(64), null=False),
        col("deadline", S(40), null=False),
        col("year", sa.Integer(), null=False),
        col("required", sa.Integer(), null=False),
        col("done", sa.Integer(), null=False),
        sa.PrimaryKeyConstraint("enterprise_id", "deadline"),
    )
    _campaigns_and_accidents()


def _campaigns_and_accidents() -> None:
    op.create_table(
        "safety_campaigns",
        col("campaign_id", S(36), null=False),
        col("title", S(200), null=False),
        col("jurisdictions", S(2000), null=False),
        col("categories", S(500), null=False),
        col("starts_at", S(40), null=False),
        col("ends_at", S(40), null=False),
        col("checklist_version", S(64), null=False),
        col("launched_by", S(64), null=False),
        sa.PrimaryKeyConstraint("campaign_id"),
    )
    op.create_table(
        "safety_accidents",
        col("accident_id", S(36), null=False),
        col("enterprise_id", S(64), null=False),
        col("machine_id", S(64), null=False),
        col("jurisdiction", S(64)),
        col("occurred_at", S(40), null=False),
        col("severity", S(24), null=False),
        col("deaths", sa.Integer(), null=False),
        col("injuries", sa.Integer(), null=False),
        col("description", S(1000), null=False),
        col("recorded_by", S(64), null=False),
        sa.PrimaryKeyConstraint("accident_id"),
    )
    op.create_index("ix_safety_accidents_occurred", "safety_accidents", ["occurred_at"])


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
