"""Repair commands: each loads the repair's stream, decides and appends at the request's time.
A repair names a deduction credit has counted for that enterprise, or it is refused (404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from tianmen_events import DomainEvent
from tianmen_events.errors import NotFound
from tianmen_runtime.logs import correlation_id
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_credit.adapters.orm import facts
from tianmen_credit.domain import repair
from tianmen_credit.domain.facts import DEDUCTIONS
from tianmen_credit.domain.repair import Repair


@dataclass(frozen=True)
class ApplyForRepair:
    enterprise_id: str
    target_event_id: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class DecideRepair:
    enterprise_id: str
    repair_id: str
    approved: bool
    decided_by: str
    reason: str


def load(uow: UnitOfWork, enterprise_id: str, repair_id: str) -> list[DomainEvent]:
    """The repair's events (its own stream), if it is this enterprise's."""
    history = [r.event for r in uow.events.load(repair_id)]
    return (
        history if all(getattr(e, "enterprise_id", None) == enterprise_id for e in history) else []
    )


def apply_for_repair(cmd: ApplyForRepair, uow: UnitOfWork, now: datetime) -> Repair:
    mine = select(facts.c.event_id).where(
        facts.c.event_id == cmd.target_event_id,
        facts.c.enterprise_id == cmd.enterprise_id,
        facts.c.kind.in_(sorted(DEDUCTIONS)),
    )
    if uow.conn.execute(mine).first() is None:
        raise NotFound("no deduction of this enterprise has that event id", field="target_event_id")
    repair_id = repair.repair_id_for(cmd.enterprise_id, cmd.target_event_id)
    history = load(uow, cmd.enterprise_id, repair_id)
    new = repair.apply(
        repair.fold(history), cmd.enterprise_id, cmd.target_event_id, cmd.evidence, now
    )
    return _append(uow, repair_id, history, new, now)


def decide_repair(cmd: DecideRepair, uow: UnitOfWork, now: datetime) -> Repair:
    history = load(uow, cmd.enterprise_id, cmd.repair_id)
    new = repair.decide(repair.fold(history), cmd.approved, cmd.decided_by, cmd.reason, now)
    return _append(uow, cmd.repair_id, history, new, now)


def _append(
    uow: UnitOfWork, stream: str, history: list[DomainEvent], new: list[DomainEvent], now: datetime
) -> Repair:
    uow.events.append(
        stream,
        new,
        expected_version=uow.events.version(stream),
        time=now,
        correlation_id=correlation_id.get() or stream,
    )
    after = repair.fold([*history, *new])
    assert after is not None  # new holds an application or a decision
    return after
