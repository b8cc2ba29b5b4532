"""A small projection the runtime's tests apply events to: points deducted per violation."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, insert
from tianmen_events import EventMeta
from tianmen_events.safety import PointsDeducted
from tianmen_runtime.unit_of_work import UnitOfWork

projection_md = MetaData()
deductions = Table(
    "deductions",
    projection_md,
    Column("violation_id", String, primary_key=True),
    Column("points", Integer),
)


def on_deducted(event: PointsDeducted, meta: EventMeta, uow: UnitOfWork) -> None:
    """Insert the deduction; negative points fail the handler (a poison event)."""
    if event.points < 0:
        raise ValueError("negative points")
    uow.conn.execute(
        insert(deductions).values(violation_id=event.violation_id, points=event.points)
    )
