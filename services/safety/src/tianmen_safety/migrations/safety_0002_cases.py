"""The enforcement desk: cases (opened by alerts and verified tips, decided by staff, escalated
by event time), violations revoked on appeal, and the points their appeals restored.
A store of the previous release replays its topics to fill them (`docs/operations.md`).

Revision ID: safety_0002
Revises: safety_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# Written out, not imported: a revision must not change when the code does.
LEDGER_LOG_VIEW = "VIEW safety_ledger_log AS SELECT * FROM events WHERE topic <> 'safety.case'"

revision = "safety_0002"
down_revision = "safety_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "safety_cases",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("violation_id", sa.String(length=36), nullable=False),
        sa.Column("machine_id", sa.String(length=64), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("jurisdiction", sa.String(length=64), nullable=True),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("occurred_at", sa.String(length=40), nullable=False),
        sa.Column("opened_at", sa.String(length=40), nullable=False),
        sa.Column("due_at", sa.String(length=40), nullable=True),
        sa.Column("escalations", sa.Integer(), nullable=False),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("source_event_id", sa.String(length=64), nullable=False),
        sa.Column("source_event_type", sa.String(length=128), nullable=False),
        sa.Column("rule_version", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("case_id"),
    )
    op.create_index("ix_safety_cases_state_due", "safety_cases", ["state", "due_at"])
    op.create_index("ix_safety_cases_enterprise", "safety_cases", ["enterprise_id", "opened_at"])
    op.create_index("ix_safety_cases_jurisdiction_state", "safety_cases", ["jurisdiction", "state"])
    op.create_table(
        "safety_dockets",
        sa.Column("docket_id", sa.String(length=80), nullable=False),
        sa.Column("projected_through", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("docket_id"),
    )
    op.create_table(
        "safety_restorations",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("cycle_year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("violation_id", sa.String(length=36), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("balance_after", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("time", sa.String(length=40), nullable=False),
        sa.Column("rule_version", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index(
        "ix_safety_restorations_enterprise_year",
        "safety_restorations",
        ["enterprise_id", "cycle_year"],
    )
    op.create_table(
        "safety_listings",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("cycle_year", sa.Integer(), nullable=False),
        sa.Column("list", sa.String(length=32), nullable=False),
        sa.Column("balance", sa.Integer(), nullable=False),
        sa.Column("listed_at", sa.String(length=40), nullable=False),
        sa.Column("ends_at", sa.String(length=40), nullable=False),
        sa.Column("lifted_at", sa.String(length=40), nullable=True),
        sa.Column("rule_version", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index("ix_safety_listings_list_listed", "safety_listings", ["list", "listed_at"])
    op.execute(f"CREATE {LEDGER_LOG_VIEW}")
    with op.batch_alter_table("safety_violations") as batch_op:
        batch_op.add_column(
            sa.Column("revoked", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    op.execute("DROP VIEW safety_ledger_log")
    with op.batch_alter_table("safety_violations") as batch_op:
        batch_op.drop_column("revoked")
    op.drop_index("ix_safety_listings_list_listed", table_name="safety_listings")
    op.drop_table("safety_listings")
    op.drop_index("ix_safety_restorations_enterprise_year", table_name="safety_restorations")
    op.drop_table("safety_restorations")
    op.drop_table("safety_dockets")
    op.drop_index("ix_safety_cases_jurisdiction_state", table_name="safety_cases")
    op.drop_index("ix_safety_cases_enterprise", table_name="safety_cases")
    op.drop_index("ix_safety_cases_state_due", table_name="safety_cases")
    op.drop_table("safety_cases")
