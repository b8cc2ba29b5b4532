"""The gateway's own tables as the release before migrations created them: none.

Revision ID: gateway_0001
"""

from __future__ import annotations

revision = "gateway_0001"
down_revision = "runtime_0001"
branch_labels = ("gateway",)
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
