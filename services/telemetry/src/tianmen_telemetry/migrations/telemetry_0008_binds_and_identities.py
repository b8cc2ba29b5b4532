"""Terminal binds as said (the periods are derived from them by event time, whatever order
they arrived in), machines' identities dated (an alert carries the jurisdiction in force at
its report and recorded before it), and standings kept one row per event (folded by event
time, not numbered by arrival): decision 82. All start from what the store holds.

Revision ID: telemetry_0008
Revises: telemetry_0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "telemetry_0008"
down_revision = "telemetry_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "terminal_binds",
        sa.Column("terminal_id", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("machine_id", sa.String(length=64), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("bound_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("terminal_id", "event_id"),
    )
    op.create_index("ix_terminal_binds_machine_id", "terminal_binds", ["machine_id"])
    op.create_table(
        "machine_identities",
        sa.Column("machine_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.DateTime(), nullable=True),
        sa.Column("jurisdiction", sa.String(length=64), nullable=True),
        sa.Column("engine_number", sa.String(length=128), nullable=True),
        sa.Column("recorded_ms", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("machine_id", "seq"),
    )
    # Each period on a machine was a bind at its start (the first one's time is not known).
    op.execute(
        "INSERT INTO terminal_binds (terminal_id, event_id, machine_id, enterprise_id, bound_at)"
        " SELECT terminal_id, 'before-0008:' || terminal_id || ':' || CAST(seq AS VARCHAR(12)),"
        " machine_id, enterprise_id, valid_from FROM terminal_bindings"
        " WHERE machine_id IS NOT NULL"
    )
    op.execute(
        "INSERT INTO machine_identities (machine_id, seq, valid_from, jurisdiction, engine_number)"
        " SELECT machine_id, 0, NULL, jurisdiction, engine_number FROM machines"
    )
    _standings_by_event()


def _standings_by_event() -> None:
    """Each kept standing becomes what was said by an event of its own, at its start."""
    op.create_table(
        "machine_standings_0008",
        sa.Column("machine_id", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("valid_from", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("recorded_ms", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("machine_id", "event_id"),
    )
    op.execute(
        "INSERT INTO machine_standings_0008"
        " (machine_id, event_id, valid_from, status, recorded_ms)"
        " SELECT machine_id, 'before-0008:' || CAST(seq AS VARCHAR(12)), valid_from, status,"
        " recorded_ms FROM machine_standings"
    )
    op.drop_table("machine_standings")
    op.rename_table("machine_standings_0008", "machine_standings")


def downgrade() -> None:
    op.create_table(
        "machine_standings_0007",
        sa.Column("machine_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("recorded_ms", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("machine_id", "seq"),
    )
    op.execute(
        "INSERT INTO machine_standings_0007 (machine_id, seq, valid_from, status, recorded_ms)"
        " SELECT machine_id, ROW_NUMBER() OVER"
        " (PARTITION BY machine_id ORDER BY valid_from, event_id) - 1,"
        " valid_from, status, recorded_ms FROM machine_standings"
        " WHERE status <> 'review_passed'"
    )
    op.drop_table("machine_standings")
    op.rename_table("machine_standings_0007", "machine_standings")
    op.drop_table("machine_identities")
    op.drop_index("ix_terminal_binds_machine_id", table_name="terminal_binds")
    op.drop_table("terminal_binds")
