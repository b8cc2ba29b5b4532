"""The cases whose openings this store appended, keyed by case id, so filing a case looks its
case up by index instead of scanning the docket's events still in flight. Filled from the
openings already in the event log (those in flight are the ones that matter).

Revision ID: safety_0005
Revises: safety_0004
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "safety_0005"
down_revision = "safety_0004"
branch_labels = None
depends_on = None

# Written out, not imported: a revision must not change when the code does.
OPENED = "tianmen.safety.case_opened"
EVENTS = sa.table("events", sa.column("type", sa.String()), sa.column("payload", sa.Text()))
OPENINGS = sa.table("safety_case_openings", sa.column("case_id", sa.String()))


def case_id(dialect: str) -> Any:
    """An opening's case id, taken from its payload (JSON text) by the database."""
    if dialect == "postgresql":
        return sa.cast(EVENTS.c.payload, JSONB)["case_id"].astext
    return sa.func.json_extract(EVENTS.c.payload, "$.case_id")


def upgrade() -> None:
    op.create_table(
        "safety_case_openings",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("case_id"),
    )
    opened = sa.select(case_id(op.get_bind().dialect.name)).where(EVENTS.c.type == OPENED)
    op.execute(OPENINGS.insert().from_select(["case_id"], opened.distinct()))


def downgrade() -> None:
    op.drop_table("safety_case_openings")
