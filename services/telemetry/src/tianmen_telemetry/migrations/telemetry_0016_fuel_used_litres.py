"""Decision 120: each machine's daily fuel used in millilitres (`machine_day_usage.fuel_used_ml`),
each report's drop levelled with the tank in force at its time, so that a tank amended later
does not rescale the past days' litres; and when the log recorded each tank
(`machine_tanks.recorded_ms`), so that a report is levelled with the tanks recorded before it,
live and in a replay alike.

The days kept before have only their summed level points, not each report's time: they are
filled with the tank in force at the start of their local day (Asia/Shanghai), the registered
one until an amendment (the only amendments before this revision are decision 116's, days
old), a day without a tank in force keeping 0 ml. Tanks kept before have no stamp: they count
as recorded before every report, as every row kept before stamps did (decision 78).

Revision ID: telemetry_0016
Revises: telemetry_0015
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op
from tianmen_telemetry.adapters.orm import UtcDateTime

revision = "telemetry_0016"
down_revision = "telemetry_0015"
branch_labels = None
depends_on = None

_SHANGHAI = ZoneInfo("Asia/Shanghai")


def upgrade() -> None:
    with op.batch_alter_table("machine_tanks") as batch_op:
        batch_op.add_column(sa.Column("recorded_ms", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("machine_day_usage") as batch_op:
        batch_op.add_column(
            sa.Column("fuel_used_ml", sa.BigInteger(), nullable=False, server_default="0")
        )
    conn = op.get_bind()
    tanks_table = sa.table(
        "machine_tanks",
        sa.column("machine_id", sa.String),
        sa.column("valid_from", UtcDateTime()),
        sa.column("litres", sa.Float),
    )
    tanks: dict[str, list[tuple[datetime | None, float]]] = {}
    for machine_id, since, litres in conn.execute(
        sa.select(tanks_table.c.machine_id, tanks_table.c.valid_from, tanks_table.c.litres)
    ):
        tanks.setdefault(machine_id, []).append((since, litres))
    if not tanks:
        return
    days = sa.table(
        "machine_day_usage",
        sa.column("machine_id", sa.String),
        sa.column("day", sa.Date),
        sa.column("fuel_used_mpct", sa.BigInteger),
        sa.column("fuel_used_ml", sa.BigInteger),
    )
    filled = []
    for machine_id, day, mpct in conn.execute(
        sa.select(days.c.machine_id, days.c.day, days.c.fuel_used_mpct)
        .where(days.c.fuel_used_mpct > 0)
        .where(days.c.machine_id.in_(sorted(tanks)))
    ):
        start = datetime.combine(day, time(), _SHANGHAI)
        litres = _in_force(tanks[machine_id], start)
        if litres is not None:
            filled.append({"m": machine_id, "d": day, "ml": round(mpct * litres / 100)})
    if filled:
        conn.execute(
            days.update()
            .where(days.c.machine_id == sa.bindparam("m"))
            .where(days.c.day == sa.bindparam("d"))
            .values(fuel_used_ml=sa.bindparam("ml")),
            filled,
        )


def _in_force(said: list[tuple[datetime | None, float]], at: datetime) -> float | None:
    """The capacity said last from `at` or before (the registered one, from None, first)."""
    litres = None
    for since, capacity in sorted(said, key=lambda s: (s[0] is not None, s[0] or at)):
        if since is not None and since > at:
            break
        litres = capacity
    return litres


def downgrade() -> None:
    with op.batch_alter_table("machine_day_usage") as batch_op:
        batch_op.drop_column("fuel_used_ml")
    with op.batch_alter_table("machine_tanks") as batch_op:
        batch_op.drop_column("recorded_ms")
