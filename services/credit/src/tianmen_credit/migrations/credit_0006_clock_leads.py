"""The clock keeps its two leading subjects (`lead:<subject>` rows beside `events`), so one
event dated in the future cannot move it alone (decision 69): the name column widens to hold a
subject. The stored clock stays where it was; the leads fill as events come.

Revision ID: credit_0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "credit_0006"
down_revision = "credit_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("credit_clock") as batch:
        batch.alter_column("name", existing_type=sa.String(length=16), type_=sa.String(length=90))


def downgrade() -> None:
    op.execute("DELETE FROM credit_clock WHERE name LIKE 'lead:%'")
    with op.batch_alter_table("credit_clock") as batch:
        batch.alter_column("name", existing_type=sa.String(length=90), type_=sa.String(length=16))
